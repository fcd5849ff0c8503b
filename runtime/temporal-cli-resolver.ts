// Finds (or, once, builds) the Temporal CLI binary that runs the local dev server.
//
// Machines without internet cannot use the SDK's own CLI download, so the order is:
//   1. TEMPORAL_CLI env var        (explicit choice wins; a bad value is an error, not a fallthrough)
//   2. `temporal` on PATH
//   3. a cached build under ~/.cache/ml-connector/temporal-<version>/temporal
//   4. `go install github.com/temporalio/cli/cmd/temporal@v1.5.1` into that cache (then v1.4.1)
//   5. the SDK's cached download (needs internet)
// Every collaborator (env, which, cache dir, command runner, SDK download) is injectable so the
// order is unit-tested without building anything.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { constants as fsConstants, promises as fs } from 'node:fs';
import { hostname, homedir, tmpdir } from 'node:os';
import path from 'node:path';

export type TemporalCliSource = 'env' | 'path' | 'cache' | 'go-install' | 'sdk-download';

export interface ResolvedTemporalCli {
  path: string;
  source: TemporalCliSource;
  version?: string;
}

export interface RunCommandOptions {
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** Called per output line (stdout and stderr), for streaming progress of long commands. */
  onLine?: (line: string) => void;
  timeoutMs?: number;
}

export interface RunCommandResult {
  /** null when killed by a signal or the timeout. */
  code: number | null;
  stdout: string;
  stderr: string;
}

export type RunCommand = (command: string, args: string[], opts: RunCommandOptions) => Promise<RunCommandResult>;

export type Which = (command: string, env: NodeJS.ProcessEnv) => Promise<string | undefined>;

export interface ResolveTemporalCliOptions {
  log?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  which?: Which;
  /** Directory holding `temporal-<version>/temporal` builds. Default: $XDG_CACHE_HOME/ml-connector or ~/.cache/ml-connector. */
  cacheDir?: string;
  runCommand?: RunCommand;
  /** Last resort: the SDK's download. Returns the binary path. */
  sdkDownload?: (opts: { cacheDir: string; log: (line: string) => void }) => Promise<string>;
  /** Versions tried by `go install`, newest first. */
  goVersions?: readonly string[];
  /** Progress heartbeat while building or waiting for another build. */
  heartbeatMs?: number;
  /** How long to wait for another process's build before giving up. */
  lockWaitTimeoutMs?: number;
  /** Upper bound for the SDK download step. */
  sdkTimeoutMs?: number;
}

/** v1.5.1 is the newest CLI release whose go.mod has no `replace` directives, which `go install pkg@version` refuses. */
export const TEMPORAL_CLI_GO_VERSIONS = ['1.5.1', '1.4.1'] as const;
const GO_PACKAGE = 'github.com/temporalio/cli/cmd/temporal';
const MIN_GO = [1, 22] as const;

const defaultLog = (line: string): void => {
  process.stderr.write(`[temporal-cli] ${line}\n`);
};

export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  // XDG says a relative XDG_CACHE_HOME is invalid and must be ignored.
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(env.HOME ?? homedir(), '.cache');
  return path.join(base, 'ml-connector');
}

export function cachedBinaryPath(cacheDir: string, version: string): string {
  return path.join(cacheDir, `temporal-${version}`, process.platform === 'win32' ? 'temporal.exe' : 'temporal');
}

async function isExecutableFile(file: string): Promise<boolean> {
  try {
    const st = await fs.stat(file);
    if (!st.isFile()) return false;
    await fs.access(file, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** PATH lookup without shelling out to `which` (not present on every image). */
export const defaultWhich: Which = async (command, env) => {
  const dirs = (env.PATH ?? '').split(path.delimiter).filter(Boolean);
  for (const dir of dirs) {
    const candidate = path.join(dir, command);
    if (await isExecutableFile(candidate)) return candidate;
  }
  return undefined;
};

/** Spawns without a shell; streams lines to onLine; never rejects for a non-zero exit. */
export const defaultRunCommand: RunCommand = (command, args, opts) =>
  new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: opts.env, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const partial = { out: '', err: '' };
    const feed = (key: 'out' | 'err', chunk: string): void => {
      const text = partial[key] + chunk;
      const lines = text.split('\n');
      partial[key] = lines.pop() ?? '';
      for (const line of lines) opts.onLine?.(line);
    };
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
      feed('out', c);
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
      feed('err', c);
    });
    const timer = opts.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs) : undefined;
    child.on('error', (err) => {
      if (timer) clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      if (partial.out) opts.onLine?.(partial.out);
      if (partial.err) opts.onLine?.(partial.err);
      resolve({ code, stdout, stderr });
    });
  });

/**
 * The SDK's own download (core-sdk fetches the CLI from temporal.download). It only hands out a running
 * server, so start one into a download dir we own, tear it down, and return the binary it left there.
 */
export const defaultSdkDownload = async ({ cacheDir, log }: { cacheDir: string; log: (line: string) => void }): Promise<string> => {
  const downloadDir = path.join(cacheDir, 'sdk-download');
  await fs.mkdir(downloadDir, { recursive: true });
  log(`trying the Temporal SDK's CLI download into ${downloadDir} (needs internet)`);
  // @temporalio/testing is a devDependency: a production install may not have it, which is a normal step failure.
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const env = await TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'cached-download', downloadDir } } });
  await env.teardown();
  for (const name of await fs.readdir(downloadDir)) {
    const candidate = path.join(downloadDir, name);
    if (name.startsWith('temporal') && (await isExecutableFile(candidate))) return candidate;
  }
  throw new Error(`the SDK download finished but no temporal executable was found in ${downloadDir}`);
};

function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function tail(text: string, lines = 20): string {
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

async function readVersion(binary: string, runCommand: RunCommand, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  // One cheap call: also proves the file really runs on this machine (right arch, not truncated).
  const res = await runCommand(binary, ['--version'], { env, timeoutMs: 15_000 });
  if (res.code !== 0) throw new Error(`\`${binary} --version\` exited ${String(res.code)}: ${tail(res.stderr || res.stdout, 5)}`);
  const m = /temporal version (\S+)/.exec(res.stdout);
  return m?.[1];
}

function parseGoVersion(out: string): [number, number] | undefined {
  const m = /go(\d+)\.(\d+)/.exec(out);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

export async function resolveTemporalCli(opts: ResolveTemporalCliOptions = {}): Promise<ResolvedTemporalCli> {
  const log = opts.log ?? defaultLog;
  const env = opts.env ?? process.env;
  const which = opts.which ?? defaultWhich;
  const runCommand = opts.runCommand ?? defaultRunCommand;
  const cacheDir = opts.cacheDir ?? defaultCacheDir(env);
  const sdkDownload = opts.sdkDownload ?? defaultSdkDownload;
  const goVersions = opts.goVersions ?? TEMPORAL_CLI_GO_VERSIONS;
  const heartbeatMs = opts.heartbeatMs ?? 15_000;
  const lockWaitTimeoutMs = opts.lockWaitTimeoutMs ?? 20 * 60_000;
  const sdkTimeoutMs = opts.sdkTimeoutMs ?? 5 * 60_000;
  const failures: string[] = [];

  // 1. Explicit override: a wrong value is a configuration error to report, not something to paper over.
  const fromEnv = env.TEMPORAL_CLI;
  if (fromEnv) {
    const abs = path.resolve(fromEnv);
    if (!(await isExecutableFile(abs))) {
      throw new Error(`TEMPORAL_CLI=${fromEnv} does not point to an executable file. Fix or unset TEMPORAL_CLI.`);
    }
    return { path: abs, source: 'env', version: await readVersion(abs, runCommand, env) };
  }
  failures.push('TEMPORAL_CLI: not set');

  // 2. PATH
  const onPath = await which('temporal', env);
  if (onPath) {
    try {
      return { path: onPath, source: 'path', version: await readVersion(onPath, runCommand, env) };
    } catch (err) {
      failures.push(`PATH: ${onPath} does not run: ${errorText(err)}`);
    }
  } else {
    failures.push('PATH: no `temporal` on PATH');
  }

  // 3. Cached builds (any version we know how to build, newest first).
  const checkCache = async (): Promise<ResolvedTemporalCli | undefined> => {
    for (const v of goVersions) {
      const bin = cachedBinaryPath(cacheDir, v);
      if (await isExecutableFile(bin)) {
        try {
          await readVersion(bin, runCommand, env);
          // go-installed builds report 0.0.0-DEV; the directory name carries the real release.
          return { path: bin, source: 'cache', version: v };
        } catch (err) {
          failures.push(`cache: ${bin} does not run: ${errorText(err)}`);
        }
      }
    }
    return undefined;
  };
  const cached = await checkCache();
  if (cached) return cached;
  failures.push(`cache: no build in ${goVersions.map((v) => cachedBinaryPath(cacheDir, v)).join(' or ')}`);

  // 4. go install
  const goBin = await which('go', env);
  if (!goBin) {
    failures.push('go install: `go` is not on PATH');
  } else {
    const goVersionRes = await runCommand(goBin, ['version'], { env, timeoutMs: 30_000 }).catch((err: unknown) => ({
      code: null,
      stdout: '',
      stderr: errorText(err),
    }));
    const goVersion = parseGoVersion(goVersionRes.stdout);
    if (goVersionRes.code !== 0 || !goVersion) {
      failures.push(`go install: \`${goBin} version\` failed: ${tail(goVersionRes.stderr || goVersionRes.stdout, 5)}`);
    } else if (goVersion[0] < MIN_GO[0] || (goVersion[0] === MIN_GO[0] && goVersion[1] < MIN_GO[1])) {
      failures.push(`go install: ${goVersionRes.stdout.trim()} is too old (need Go >= ${MIN_GO.join('.')})`);
    } else {
      for (const v of goVersions) {
        try {
          const built = await goInstall({ goBin, version: v, cacheDir, env, log, runCommand, heartbeatMs, lockWaitTimeoutMs });
          if (built) return built;
        } catch (err) {
          failures.push(`go install v${v}: ${errorText(err)}`);
        }
      }
    }
  }

  // 5. SDK download (internet). Offline it is refused quickly; its text goes into the report.
  try {
    // Offline it fails in about a second; the timeout covers a network that swallows packets instead.
    let timer: NodeJS.Timeout | undefined;
    const bin = await Promise.race([
      sdkDownload({ cacheDir, log }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer after ${formatDuration(sdkTimeoutMs)}`)), sdkTimeoutMs);
        timer.unref();
      }),
    ]).finally(() => clearTimeout(timer));
    return { path: bin, source: 'sdk-download', version: await readVersion(bin, runCommand, env) };
  } catch (err) {
    failures.push(`SDK download (@temporalio/testing cached-download): ${errorText(err)}`);
  }

  throw new Error(
    [
      'Could not find or build the Temporal CLI, which runs the local Temporal dev server.',
      `Install one of: Go >= ${MIN_GO.join('.')} (then re-run: the CLI is built once into ${cacheDir}, taking a few minutes),`,
      'or a `temporal` binary on PATH (https://docs.temporal.io/cli), or set TEMPORAL_CLI=/path/to/temporal.',
      'What was tried:',
      ...failures.map((f, i) => `  ${i + 1}. ${f}`),
    ].join('\n'),
  );
}

interface GoInstallArgs {
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
async function goInstall(a: GoInstallArgs): Promise<ResolvedTemporalCli | undefined> {
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
