// Resolution order of the Temporal CLI with injected fakes: nothing is built or downloaded here.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  cachedBinaryPath,
  defaultCacheDir,
  resolveTemporalCli,
  type ResolveTemporalCliOptions,
  type RunCommand,
  type RunCommandOptions,
} from './temporal-cli-resolver';

let tmp: string;
beforeEach(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'mlc-resolver-'));
});
afterEach(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

async function fakeBinary(file: string): Promise<string> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, '#!/bin/sh\necho "temporal version 9.9.9 (Server 1, UI 2)"\n', { mode: 0o755 });
  return file;
}

interface Call {
  command: string;
  args: string[];
  opts: RunCommandOptions;
}

/** A `go`/`temporal` stand-in: records calls; `install` behaviour per version is scripted by the test. */
function fakeRunner(
  install: (version: string, opts: RunCommandOptions) => Promise<{ code: number; stderr?: string }> = async () => ({ code: 1, stderr: 'not scripted' }),
  goVersion = 'go version go1.23.4 linux/amd64',
): { run: RunCommand; calls: Call[] } {
  const calls: Call[] = [];
  const run: RunCommand = async (command, args, opts) => {
    calls.push({ command, args, opts });
    if (args[0] === '--version') return { code: 0, stdout: 'temporal version 0.0.0-DEV (Server 1.29.1, UI 2.42.1)\n', stderr: '' };
    if (args[0] === 'version') return { code: 0, stdout: `${goVersion}\n`, stderr: '' };
    if (args[0] === 'install') {
      const version = /@v(.+)$/.exec(args[args.length - 1] ?? '')?.[1] ?? '?';
      const res = await install(version, opts);
      return { code: res.code, stdout: '', stderr: res.stderr ?? '' };
    }
    throw new Error(`unexpected command ${command} ${args.join(' ')}`);
  };
  return { run, calls };
}

function baseOpts(over: Partial<ResolveTemporalCliOptions> = {}): ResolveTemporalCliOptions & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    log: (l) => lines.push(l),
    env: { PATH: '/nowhere', HOME: tmp },
    cacheDir: path.join(tmp, 'cache'),
    which: async () => undefined,
    sdkDownload: async () => {
      throw new Error('download refused: getaddrinfo ENOTFOUND temporal.download');
    },
    heartbeatMs: 50,
    ...over,
  };
}

/** go install stand-in that "builds" by writing a binary into the GOBIN it was given. */
const buildsInto =
  (delayMs = 0) =>
  async (_v: string, opts: RunCommandOptions): Promise<{ code: number }> => {
    await new Promise((r) => setTimeout(r, delayMs));
    const gobin = opts.env.GOBIN;
    if (!gobin) throw new Error('GOBIN not set');
    await fakeBinary(path.join(gobin, 'temporal'));
    return { code: 0 };
  };

describe('resolveTemporalCli', () => {
  it('uses TEMPORAL_CLI first, even when PATH and the cache have one', async () => {
    const bin = await fakeBinary(path.join(tmp, 'bin', 'my-temporal'));
    await fakeBinary(cachedBinaryPath(path.join(tmp, 'cache'), '1.5.1'));
    const { run } = fakeRunner();
    const res = await resolveTemporalCli(baseOpts({ env: { TEMPORAL_CLI: bin }, which: async () => '/usr/bin/temporal', runCommand: run }));
    expect(res).toEqual({ path: bin, source: 'env', version: '0.0.0-DEV' });
  });

  it('rejects a TEMPORAL_CLI that is missing or not executable instead of silently falling back', async () => {
    const notExec = path.join(tmp, 'plain-file');
    await fs.writeFile(notExec, 'x', { mode: 0o644 });
    const { run } = fakeRunner();
    const opts = baseOpts({ which: async () => '/usr/bin/temporal', runCommand: run });
    await expect(resolveTemporalCli({ ...opts, env: { TEMPORAL_CLI: path.join(tmp, 'missing') } })).rejects.toThrow(/TEMPORAL_CLI=.*missing.*not point to an executable/);
    // root can execute anything with any x bit, but a 0644 file has none
    await expect(resolveTemporalCli({ ...opts, env: { TEMPORAL_CLI: notExec } })).rejects.toThrow(/TEMPORAL_CLI/);
  });

  it('uses `temporal` on PATH before the cache', async () => {
    await fakeBinary(cachedBinaryPath(path.join(tmp, 'cache'), '1.5.1'));
    const asked: string[] = [];
    const { run } = fakeRunner();
    const res = await resolveTemporalCli(
      baseOpts({
        which: async (cmd) => {
          asked.push(cmd);
          return cmd === 'temporal' ? '/opt/bin/temporal' : undefined;
        },
        runCommand: run,
      }),
    );
    expect(res.source).toBe('path');
    expect(res.path).toBe('/opt/bin/temporal');
    expect(asked).toEqual(['temporal']);
  });

  it('uses the cached build and reports the release it was built from', async () => {
    const cached = await fakeBinary(cachedBinaryPath(path.join(tmp, 'cache'), '1.5.1'));
    const { run, calls } = fakeRunner();
    const res = await resolveTemporalCli(baseOpts({ runCommand: run }));
    expect(res).toEqual({ path: cached, source: 'cache', version: '1.5.1' });
    // One cheap --version call, no go invocation at all.
    expect(calls.map((c) => c.args[0])).toEqual(['--version']);
  });

  it('finds the cache under XDG_CACHE_HOME, else ~/.cache', async () => {
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/xdg', HOME: '/home/u' })).toBe('/xdg/ml-connector');
    expect(defaultCacheDir({ HOME: '/home/u' })).toBe('/home/u/.cache/ml-connector');
    expect(defaultCacheDir({ XDG_CACHE_HOME: 'relative', HOME: '/home/u' })).toBe('/home/u/.cache/ml-connector');
    const xdg = path.join(tmp, 'xdg');
    const cached = await fakeBinary(path.join(xdg, 'ml-connector', 'temporal-1.5.1', 'temporal'));
    const { run } = fakeRunner();
    const res = await resolveTemporalCli({ ...baseOpts({ runCommand: run }), cacheDir: undefined, env: { XDG_CACHE_HOME: xdg, PATH: '' } });
    expect(res.path).toBe(cached);
  });

  it('builds with go install v1.5.1 into a temp GOBIN, moves it into the cache and says what it is doing', async () => {
    const cacheDir = path.join(tmp, 'cache');
    const { run, calls } = fakeRunner(buildsInto(120));
    const opts = baseOpts({ which: async (cmd) => (cmd === 'go' ? '/usr/local/go/bin/go' : undefined), runCommand: run });
    const res = await resolveTemporalCli(opts);
    expect(res).toEqual({ path: cachedBinaryPath(cacheDir, '1.5.1'), source: 'go-install', version: '1.5.1' });
    const install = calls.find((c) => c.args[0] === 'install');
    expect(install?.command).toBe('/usr/local/go/bin/go');
    expect(install?.args).toContain('github.com/temporalio/cli/cmd/temporal@v1.5.1');
    // Built into a private dir inside the cache (same filesystem => atomic rename), which is gone afterwards.
    expect(path.dirname(install?.opts.env.GOBIN ?? '/')).toBe(cacheDir);
    expect((await fs.readdir(cacheDir)).sort()).toEqual(['temporal-1.5.1']);
    expect(opts.lines.some((l) => l.includes('go install github.com/temporalio/cli/cmd/temporal@v1.5.1'))).toBe(true);
    expect(opts.lines.some((l) => l.startsWith('still building temporal v1.5.1'))).toBe(true);
  });

  it('falls back to v1.4.1 when v1.5.1 does not build', async () => {
    const { run } = fakeRunner(async (version, opts) => (version === '1.5.1' ? { code: 1, stderr: 'go: v1.5.1 exploded' } : buildsInto()(version, opts)));
    const res = await resolveTemporalCli(baseOpts({ which: async (cmd) => (cmd === 'go' ? '/go/bin/go' : undefined), runCommand: run }));
    expect(res).toMatchObject({ source: 'go-install', version: '1.4.1' });
  });

  it('never runs two builds at once: the second caller waits for the lock and uses the first one\'s build', async () => {
    const { run, calls } = fakeRunner(buildsInto(400));
    const opts = baseOpts({ which: async (cmd) => (cmd === 'go' ? '/go/bin/go' : undefined), runCommand: run });
    const [a, b] = await Promise.all([resolveTemporalCli(opts), resolveTemporalCli(opts)]);
    expect(calls.filter((c) => c.args[0] === 'install')).toHaveLength(1);
    expect([a.source, b.source].sort()).toEqual(['cache', 'go-install']);
    expect(a.path).toBe(b.path);
    expect(opts.lines.some((l) => /another process \(pid \d+\) is building temporal v1\.5\.1; waiting/.test(l))).toBe(true);
  });

  it('takes over a lock left by a dead process', async () => {
    const cacheDir = path.join(tmp, 'cache');
    await fs.mkdir(cacheDir, { recursive: true });
    // pid 2^22+1 is above Linux's pid_max default range, so it is not alive.
    await fs.writeFile(path.join(cacheDir, 'temporal-1.5.1.lock'), JSON.stringify({ pid: 4194305, host: os.hostname(), startedAt: '2020-01-01' }));
    const { run } = fakeRunner(buildsInto());
    const opts = baseOpts({ which: async (cmd) => (cmd === 'go' ? '/go/bin/go' : undefined), runCommand: run, lockWaitTimeoutMs: 2000 });
    const res = await resolveTemporalCli(opts);
    expect(res.source).toBe('go-install');
    expect(opts.lines.some((l) => l.includes('removing stale lock'))).toBe(true);
  });

  it('tries the SDK download when go is missing', async () => {
    const downloaded = await fakeBinary(path.join(tmp, 'dl', 'temporal-sdk-typescript-1.5.0'));
    const { run } = fakeRunner();
    const res = await resolveTemporalCli(baseOpts({ runCommand: run, sdkDownload: async () => downloaded }));
    expect(res).toMatchObject({ path: downloaded, source: 'sdk-download' });
  });

  it('when everything fails, says what to install and lists every step\'s failure', async () => {
    const { run } = fakeRunner(async (version) => ({ code: 1, stderr: `go: build of v${version} failed: no network` }));
    const promise = resolveTemporalCli(baseOpts({ which: async (cmd) => (cmd === 'go' ? '/go/bin/go' : undefined), runCommand: run }));
    await expect(promise).rejects.toThrow(/Go >= 1\.22/);
    const message = await promise.then(
      () => '',
      (err: Error) => err.message,
    );
    expect(message).toContain('`temporal` binary on PATH');
    expect(message).toContain('TEMPORAL_CLI');
    expect(message).toContain('go install v1.5.1: exit 1');
    expect(message).toContain('build of v1.5.1 failed: no network');
    expect(message).toContain('build of v1.4.1 failed: no network');
    expect(message).toContain('download refused: getaddrinfo ENOTFOUND');
  });

  it('reports a Go that is too old instead of running it', async () => {
    const { run, calls } = fakeRunner(undefined, 'go version go1.19.2 linux/amd64');
    const message = await resolveTemporalCli(baseOpts({ which: async (cmd) => (cmd === 'go' ? '/go/bin/go' : undefined), runCommand: run })).then(
      () => '',
      (err: Error) => err.message,
    );
    expect(message).toMatch(/go version go1\.19\.2 linux\/amd64 is too old \(need Go >= 1\.22\)/);
    expect(calls.some((c) => c.args[0] === 'install')).toBe(false);
  });

  it('gives up on an SDK download that never answers', async () => {
    const { run } = fakeRunner();
    const message = await resolveTemporalCli(baseOpts({ runCommand: run, sdkDownload: () => new Promise<string>(() => undefined), sdkTimeoutMs: 50 })).then(
      () => '',
      (err: Error) => err.message,
    );
    expect(message).toMatch(/SDK download \(@temporalio\/testing cached-download\): no answer after/);
  });
});
