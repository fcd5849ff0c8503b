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
import { promises as fs } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { cachedBinaryPath, errorText, formatDuration, goInstall, isExecutableFile, readVersion, tail } from './temporal-cli-build';

export { cachedBinaryPath } from './temporal-cli-build';

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
