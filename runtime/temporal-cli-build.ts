// Builds the Temporal CLI once per machine with `go install` into the cache, under a lock file so parallel
// processes (test setup, `npm start`) never build at once; the resolver (temporal-cli-resolver.ts) decides when.
import { randomBytes } from 'node:crypto';
import { constants as fsConstants, promises as fs } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { type ResolvedTemporalCli, type RunCommand, type RunCommandResult } from './temporal-cli-resolver';

export const GO_PACKAGE = 'github.com/temporalio/cli/cmd/temporal';

export function cachedBinaryPath(cacheDir: string, version: string): string {
  return path.join(cacheDir, `temporal-${version}`, process.platform === 'win32' ? 'temporal.exe' : 'temporal');
}

export async function isExecutableFile(file: string): Promise<boolean> {
  try {
    const st = await fs.stat(file);
    if (!st.isFile()) return false;
    await fs.access(file, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function tail(text: string, lines = 20): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface LockInfo {
  pid: number;
  host: string;
  startedAt: string;
}

/**
 * Exclusive lock file (O_EXCL create). A lock whose owner is dead (same host) is stale and taken over, so a
 * build killed half-way does not block every later run.
 */
async function acquireLock(
  lockPath: string,
  what: string,
  log: (line: string) => void,
  heartbeatMs: number,
  timeoutMs: number,
): Promise<() => Promise<void>> {
  const started = Date.now();
  let lastBeat = 0; // log at once, then every heartbeatMs
  for (;;) {
    try {
      const handle = await fs.open(lockPath, 'wx', 0o644);
      const info: LockInfo = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
      await handle.writeFile(JSON.stringify(info));
      await handle.close();
      return async () => {
        await fs.rm(lockPath, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let holder: LockInfo | undefined;
    try {
      holder = JSON.parse(await fs.readFile(lockPath, 'utf8')) as LockInfo;
    } catch {
      // Being written right now, or removed in between: look again shortly.
    }
    if (holder && holder.host === hostname() && !pidAlive(holder.pid)) {
      log(`removing stale lock ${lockPath} (pid ${holder.pid} is gone)`);
      await fs.rm(lockPath, { force: true });
      continue;
    }
    const now = Date.now();
    if (now - started > timeoutMs) {
      throw new Error(`gave up after ${formatDuration(now - started)} waiting for ${lockPath} (held by pid ${holder?.pid ?? '?'})`);
    }
    if (now - lastBeat >= heartbeatMs) {
      log(`another process (pid ${holder?.pid ?? '?'}) is ${what}; waiting (${formatDuration(now - started)} so far)`);
      lastBeat = now;
    }
    await sleep(Math.min(1000, heartbeatMs));
  }
}

export async function readVersion(binary: string, runCommand: RunCommand, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  // One cheap call: also proves the file really runs on this machine (right arch, not truncated).
  const res = await runCommand(binary, ['--version'], { env, timeoutMs: 15_000 });
  if (res.code !== 0) throw new Error(`\`${binary} --version\` exited ${String(res.code)}: ${tail(res.stderr || res.stdout, 5)}`);
  const m = /temporal version (\S+)/.exec(res.stdout);
  return m?.[1];
}

export interface GoInstallArgs {
  goBin: string;
  version: string;
  cacheDir: string;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  runCommand: RunCommand;
  heartbeatMs: number;
  lockWaitTimeoutMs: number;
}

/**
 * Builds into a private temp GOBIN and renames into place, under a lock: two processes (parallel test setup
 * and `npm start`) never build at once, the second one waits and then uses the first one's result, and a
 * half-written binary is never visible at the cache path.
 */
export async function goInstall(a: GoInstallArgs): Promise<ResolvedTemporalCli | undefined> {
  const finalBin = cachedBinaryPath(a.cacheDir, a.version);
  await fs.mkdir(a.cacheDir, { recursive: true });
  const release = await acquireLock(
    path.join(a.cacheDir, `temporal-${a.version}.lock`),
    `building temporal v${a.version}`,
    a.log,
    a.heartbeatMs,
    a.lockWaitTimeoutMs,
  );
  try {
    if (await isExecutableFile(finalBin)) {
      a.log(`temporal v${a.version} was built by another process: ${finalBin}`);
      return { path: finalBin, source: 'cache', version: a.version };
    }
    const tmpGobin = path.join(a.cacheDir, `.build-temporal-${a.version}-${process.pid}-${randomBytes(4).toString('hex')}`);
    await fs.mkdir(tmpGobin, { recursive: true });
    const started = Date.now();
    a.log(
      `building the Temporal CLI v${a.version} with \`go install ${GO_PACKAGE}@v${a.version}\` into ${path.dirname(finalBin)}; ` +
        'this happens once per machine and takes a few minutes (about 4 on a cold Go cache)',
    );
    let compiled = 0;
    let lastLine = '';
    const beat = setInterval(() => {
      // With a warm Go build cache `-v` prints nothing: then it is linking/writing, not stuck.
      const progress = compiled > 0 ? `, ${compiled} packages compiled, last: ${lastLine}` : '';
      a.log(`still building temporal v${a.version}: ${formatDuration(Date.now() - started)} elapsed${progress}`);
    }, a.heartbeatMs);
    beat.unref();
    let res: RunCommandResult;
    try {
      res = await a.runCommand(a.goBin, ['install', '-v', `${GO_PACKAGE}@v${a.version}`], {
        // Own temp dir as cwd: a go.mod in the caller's cwd must not influence the build.
        cwd: tmpdir(),
        env: { ...a.env, GOBIN: tmpGobin, GO111MODULE: 'on' },
        onLine: (line) => {
          if (line.startsWith('go: downloading') || line.startsWith('go: finding')) a.log(line);
          else if (line.trim()) {
            compiled++;
            lastLine = line.trim();
          }
        },
      });
    } finally {
      clearInterval(beat);
    }
    try {
      if (res.code !== 0) {
        throw new Error(`exit ${String(res.code)} after ${formatDuration(Date.now() - started)}:\n${tail(res.stderr || res.stdout)}`);
      }
      const builtBin = path.join(tmpGobin, path.basename(finalBin));
      if (!(await isExecutableFile(builtBin))) throw new Error(`go install succeeded but ${builtBin} is missing`);
      await fs.mkdir(path.dirname(finalBin), { recursive: true });
      // Same filesystem (both under cacheDir), so this is an atomic replace.
      await fs.rename(builtBin, finalBin);
    } finally {
      await fs.rm(tmpGobin, { recursive: true, force: true });
    }
    a.log(`built temporal v${a.version} in ${formatDuration(Date.now() - started)}: ${finalBin}`);
    await readVersion(finalBin, a.runCommand, a.env);
    return { path: finalBin, source: 'go-install', version: a.version };
  } finally {
    await release();
  }
}
