// Starts the local Temporal dev server (`temporal server start-dev`) from temporal-dev.yaml.
// Used by `npm run temporal`, `npm start` and the jest global setup, so it must: find the CLI without
// internet, survive port clashes in parallel runs (port 0 = pick a free one), never leave a server behind
// (own process group + a watchdog that kills it if this process dies), and only return once the
// server really answers gRPC (and the UI answers HTTP 200).
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import net, { type Socket } from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { findFreePort } from './free-port';
import { resolveTemporalCli, type ResolvedTemporalCli } from './temporal-cli-resolver';

export const DEFAULT_TEMPORAL_DEV_CONFIG = path.resolve(__dirname, '..', 'temporal-dev.yaml');

const SEARCH_ATTRIBUTE_TYPES = ['Text', 'Keyword', 'Int', 'Double', 'Bool', 'Datetime', 'KeywordList'] as const;
type SearchAttributeType = (typeof SEARCH_ATTRIBUTE_TYPES)[number];
// temporal.api.enums.v1.IndexedValueType, by name (avoids a direct dependency on @temporalio/proto).
const INDEXED_VALUE_TYPE: Record<SearchAttributeType, number> = {
  Text: 1,
  Keyword: 2,
  Int: 3,
  Double: 4,
  Bool: 5,
  Datetime: 6,
  KeywordList: 7,
};

const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;
const port = z.number().int().min(0).max(65535);
type JsonValue = string | number | boolean | null | JsonValue[] | { [k: string]: JsonValue };
const jsonValue: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValue), z.record(z.string(), jsonValue)]),
);

/** The file format: kebab-case keys named after the CLI flags they become. */
const fileSchema = z
  .object({
    namespace: z.string().min(1).default('default'),
    ip: z.string().min(1).default('127.0.0.1'),
    port: port.default(7233),
    'ui-port': port.optional(),
    headless: z.boolean().default(false),
    'ui-codec-endpoint': z.url().optional(),
    'db-filename': z.string().min(1).nullable().default(null),
    'search-attributes': z
      .record(z.string().regex(identifier, 'search attribute names must be identifiers'), z.enum(SEARCH_ATTRIBUTE_TYPES))
      .default({}),
    'dynamic-config': z.record(z.string().regex(/^[A-Za-z0-9_.]+$/, 'dynamic config keys are dotted identifiers'), jsonValue).default({}),
    'log-level': z.enum(['debug', 'info', 'warn', 'error', 'never']).default('warn'),
  })
  .strict();

export interface TemporalDevConfig {
  namespace: string;
  ip: string;
  /** 0 = pick a free port at start. */
  port: number;
  /** 0 = pick a free port at start; undefined = CLI default (port + 1000). */
  uiPort?: number;
  headless: boolean;
  uiCodecEndpoint?: string;
  /** Absolute path of the SQLite file; null = in-memory (lost when the server stops). */
  dbFile: string | null;
  searchAttributes: Record<string, SearchAttributeType>;
  dynamicConfig: Record<string, JsonValue>;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'never';
}

export interface TemporalDevOverrides {
  port?: number;
  uiPort?: number;
  /** Relative paths resolve against the process cwd; null = in-memory. */
  dbFile?: string | null;
  /** Merged over the file's values. */
  dynamicConfig?: Record<string, JsonValue>;
  headless?: boolean;
  /** Where the UI sends payloads to decode (the API's /codec when it listens elsewhere than the file says). */
  uiCodecEndpoint?: string;
}

/** Reads and validates temporal-dev.yaml; db-filename is resolved relative to the file, not the cwd. */
export function loadTemporalDevConfig(configPath: string = DEFAULT_TEMPORAL_DEV_CONFIG, overrides: TemporalDevOverrides = {}): TemporalDevConfig {
  const text = readFileSync(configPath, 'utf8');
  const parsed = fileSchema.safeParse(parseYaml(text) ?? {});
  if (!parsed.success) {
    throw new Error(`Invalid ${configPath}:\n${z.prettifyError(parsed.error)}`);
  }
  const f = parsed.data;
  const baseDir = path.dirname(path.resolve(configPath));
  const config: TemporalDevConfig = {
    namespace: f.namespace,
    ip: f.ip,
    port: f.port,
    uiPort: f['ui-port'],
    headless: f.headless,
    uiCodecEndpoint: f['ui-codec-endpoint'],
    dbFile: f['db-filename'] === null ? null : path.resolve(baseDir, f['db-filename']),
    searchAttributes: f['search-attributes'],
    dynamicConfig: f['dynamic-config'],
    logLevel: f['log-level'],
  };
  if (overrides.port !== undefined) config.port = port.parse(overrides.port);
  if (overrides.uiPort !== undefined) config.uiPort = port.parse(overrides.uiPort);
  if (overrides.headless !== undefined) config.headless = overrides.headless;
  if (overrides.uiCodecEndpoint !== undefined) config.uiCodecEndpoint = z.url().parse(overrides.uiCodecEndpoint);
  if (overrides.dbFile !== undefined) config.dbFile = overrides.dbFile === null ? null : path.resolve(overrides.dbFile);
  if (overrides.dynamicConfig) config.dynamicConfig = { ...config.dynamicConfig, ...overrides.dynamicConfig };
  return config;
}

/**
 * Flags for `temporal server start-dev` (without the `server start-dev` words). Pure. Ports must be concrete:
 * port 0 is resolved by startTemporalDevServer before calling this.
 */
export function toStartDevArgs(config: TemporalDevConfig): string[] {
  if (config.port === 0 || config.uiPort === 0) throw new Error('toStartDevArgs needs concrete ports; resolve port 0 first');
  const args: string[] = ['--ip', config.ip, '--port', String(config.port)];
  // "default" is always created by the CLI; naming it again would only duplicate it.
  if (config.namespace !== 'default') args.push('--namespace', config.namespace);
  if (config.headless) {
    args.push('--headless');
  } else {
    if (config.uiPort !== undefined) args.push('--ui-port', String(config.uiPort));
    if (config.uiCodecEndpoint) args.push('--ui-codec-endpoint', config.uiCodecEndpoint);
  }
  if (config.dbFile !== null) args.push('--db-filename', config.dbFile);
  for (const [name, type] of Object.entries(config.searchAttributes)) args.push('--search-attribute', `${name}=${type}`);
  // The CLI parses each value as JSON: strings must arrive quoted, booleans/numbers bare.
  for (const [key, value] of Object.entries(config.dynamicConfig)) args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  args.push('--log-level', config.logLevel);
  return args;
}

export interface StartTemporalDevServerOptions {
  configPath?: string;
  overrides?: TemporalDevOverrides;
  log?: (line: string) => void;
  /** Each line the server prints (stdout/stderr). Default: kept only as a tail for error messages. */
  onServerOutput?: (line: string) => void;
  /** Skip resolution (tests, or a caller that resolved once already). */
  cli?: ResolvedTemporalCli;
  /** How long to wait for gRPC/UI readiness. Default 60 s. */
  readyTimeoutMs?: number;
  /** SIGTERM -> SIGKILL grace in stop(). Default 10 s. */
  stopGraceMs?: number;
}

export interface TemporalDevServer {
  /** host:port for Connection.connect / NativeConnection.connect. */
  address: string;
  uiUrl?: string;
  namespace: string;
  pid: number;
  /** Resolves when the server process ends, by stop() or on its own (crash): callers can react to the latter. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

const defaultLog = (line: string): void => {
  process.stderr.write(`[temporal] ${line}\n`);
};

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export { findFreePort };

function canConnect(host: string, p: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host, port: p });
    const done = (ok: boolean): void => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(1000, () => done(false));
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

// Runs as a separate detached node process holding a pipe from us. When we die (even by SIGKILL) the pipe
// closes, and it takes the server's process group down with it. It exits on its own once the server is gone.
const WATCHDOG_SCRIPT = `
const pid = Number(process.argv[1]); const grace = Number(process.argv[2]);
const alive = () => { try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; } };
const kill = (sig) => { try { process.kill(-pid, sig); } catch { try { process.kill(pid, sig); } catch {} } };
setInterval(() => { if (!alive()) process.exit(0); }, 1000);
const onParentGone = () => { kill('SIGTERM'); setTimeout(() => { kill('SIGKILL'); process.exit(0); }, grace); };
process.stdin.on('end', onParentGone); process.stdin.on('error', onParentGone); process.stdin.resume();
`;

function startWatchdog(pid: number, graceMs: number): ChildProcess {
  const env = { ...process.env };
  // The watchdog is plain JS: no tsx/ts-node loaders or inspector flags inherited from the parent.
  delete env.NODE_OPTIONS;
  const dog = spawn(process.execPath, ['-e', WATCHDOG_SCRIPT, String(pid), String(graceMs)], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
    env,
  });
  dog.on('error', () => undefined);
  // Neither the process nor our end of its pipe may keep this process alive.
  dog.unref();
  (dog.stdin as Socket | null)?.unref();
  return dog;
}

class OutputTail {
  private lines: string[] = [];
  private partial = '';
  constructor(
    private readonly max: number,
    private readonly onLine?: (line: string) => void,
  ) {}
  push(chunk: string): void {
    const parts = (this.partial + chunk).split('\n');
    this.partial = parts.pop() ?? '';
    for (const line of parts) {
      this.onLine?.(line);
      this.lines.push(line);
      if (this.lines.length > this.max) this.lines.shift();
    }
  }
  text(): string {
    return [...this.lines, this.partial].filter(Boolean).join('\n');
  }
}

async function waitForUi(url: string, deadline: number): Promise<void> {
  let last = 'no response';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status === 200) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await sleep(200);
  }
  throw new Error(`Temporal UI at ${url} did not answer 200 (last: ${last})`);
}

/**
 * Registers search attributes the namespace lacks. The CLI only registers them when it creates the namespace,
 * so an existing db file from before a search attribute was added to temporal-dev.yaml would miss it.
 */
async function ensureSearchAttributes(connection: Connection, config: TemporalDevConfig, log: (line: string) => void): Promise<void> {
  const wanted = Object.entries(config.searchAttributes);
  if (wanted.length === 0) return;
  const existing = await connection.operatorService.listSearchAttributes({ namespace: config.namespace });
  const missing = wanted.filter(([name]) => !(name in (existing.customAttributes ?? {})));
  if (missing.length === 0) return;
  log(`registering missing search attributes on ${config.namespace}: ${missing.map(([n]) => n).join(', ')}`);
  await connection.operatorService.addSearchAttributes({
    namespace: config.namespace,
    searchAttributes: Object.fromEntries(missing.map(([name, type]) => [name, INDEXED_VALUE_TYPE[type]])),
  });
}

class PortInUseError extends Error {}

export async function startTemporalDevServer(opts: StartTemporalDevServerOptions = {}): Promise<TemporalDevServer> {
  const log = opts.log ?? defaultLog;
  const base = loadTemporalDevConfig(opts.configPath ?? DEFAULT_TEMPORAL_DEV_CONFIG, opts.overrides);
  const cli = opts.cli ?? (await resolveTemporalCli({ log }));
  let dbLock: DbLock | undefined;
  if (base.dbFile !== null) {
    await fs.mkdir(path.dirname(base.dbFile), { recursive: true });
    dbLock = await lockDbFile(base.dbFile, log);
  }
  // Free ports are picked just before spawning, so another process can grab one in between: retry with new ones.
  const autoPorts = base.port === 0 || base.uiPort === 0;
  try {
    for (let attempt = 1; ; attempt++) {
      const config: TemporalDevConfig = { ...base };
      if (config.port === 0) config.port = await findFreePort(config.ip);
      if (!config.headless && config.uiPort === 0) config.uiPort = await findFreePort(config.ip);
      try {
        return await startOnce(cli, config, opts, log, dbLock);
      } catch (err) {
        if (err instanceof PortInUseError && autoPorts && attempt < 3) {
          log(`${err.message}; retrying with other free ports`);
          continue;
        }
        throw err;
      }
    }
  } catch (err) {
    dbLock?.release();
    throw err;
  }
}

interface DbLock {
  /** Records the server pid, so a lock outliving its owner process is still honoured while the server runs. */
  setServerPid(pid: number): void;
  release(): void;
}

/**
 * Two dev servers on one SQLite file both start fine and then fight over shard ownership (stuck workflows,
 * "shard ownership lost"), e.g. `npm start` and `npm run temporal` in two terminals. An O_EXCL lock file next to
 * the db refuses the second one; a lock whose processes are all gone is stale and taken over.
 */
async function lockDbFile(dbFile: string, log: (line: string) => void): Promise<DbLock> {
  const lockPath = `${dbFile}.lock`;
  const write = (info: { pid: number; serverPid?: number }): void => {
    writeFileSync(lockPath, JSON.stringify({ ...info, host: hostname() }));
  };
  for (;;) {
    try {
      const handle = await fs.open(lockPath, 'wx');
      await handle.writeFile(JSON.stringify({ pid: process.pid, host: hostname() }));
      await handle.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let holder: { pid?: number; serverPid?: number; host?: string } = {};
    try {
      holder = JSON.parse(readFileSync(lockPath, 'utf8')) as typeof holder;
    } catch {
      // half-written by a process that died mid-write: treat as stale
    }
    const alive = [holder.pid, holder.serverPid].some((p) => p !== undefined && pidAlive(p));
    if (alive && holder.host === hostname()) {
      throw new Error(
        `${dbFile} is in use by another Temporal dev server (process ${String(holder.pid)}, server ${String(holder.serverPid ?? '?')}). ` +
          'Stop it (or connect to it), or start this one with another db file or in memory.',
      );
    }
    log(`removing stale ${lockPath} (its processes are gone)`);
    rmSync(lockPath, { force: true });
  }
  let released = false;
  const onExit = (): void => {
    if (!released) rmSync(lockPath, { force: true });
  };
  process.once('exit', onExit);
  return {
    setServerPid: (serverPid) => write({ pid: process.pid, serverPid }),
    release: () => {
      if (released) return;
      released = true;
      process.removeListener('exit', onExit);
      rmSync(lockPath, { force: true });
    },
  };
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function startOnce(
  cli: ResolvedTemporalCli,
  config: TemporalDevConfig,
  opts: StartTemporalDevServerOptions,
  log: (line: string) => void,
  dbLock: DbLock | undefined,
): Promise<TemporalDevServer> {
  const readyTimeoutMs = opts.readyTimeoutMs ?? 60_000;
  const stopGraceMs = opts.stopGraceMs ?? 10_000;
  const args = ['server', 'start-dev', ...toStartDevArgs(config)];
  const address = `${config.ip}:${config.port}`;
  const uiPort = config.headless ? undefined : (config.uiPort ?? config.port + 1000);
  const uiUrl = uiPort === undefined ? undefined : `http://${config.ip}:${uiPort}`;
  const started = Date.now();
  log(`starting Temporal dev server ${cli.version ?? ''} on ${address}${uiUrl ? `, UI ${uiUrl}` : ''}, db ${config.dbFile ?? 'in-memory'}`);

  // Something already listening would answer our readiness probes in place of the new server: refuse up front.
  for (const [what, p] of [['gRPC', config.port], ['UI', uiPort]] as const) {
    if (p !== undefined && (await canConnect(config.ip, p))) {
      throw new PortInUseError(`${what} port ${config.ip}:${p} is already in use (another Temporal dev server?); choose another port`);
    }
  }

  const tail = new OutputTail(40, opts.onServerOutput);
  // detached: its own process group, so a terminal Ctrl-C reaches only us and we stop it in order;
  // stop() then signals the whole group.
  const child = spawn(cli.path, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.setEncoding('utf8').on('data', (c: string) => tail.push(c));
  child.stderr?.setEncoding('utf8').on('data', (c: string) => tail.push(c));
  const pid = child.pid;
  if (pid === undefined) {
    const err = await new Promise<Error>((resolve) => child.once('error', resolve));
    throw new Error(`could not spawn ${cli.path}: ${err.message}`);
  }
  // 'close' (not 'exit'): fires after the output pipes are drained, so the tail in an error is complete.
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  let hasExited = false;
  void exited.then(() => (hasExited = true));
  const watchdog = startWatchdog(pid, stopGraceMs);
  dbLock?.setServerPid(pid);
  // Synchronous last resort on a normal exit without stop() (process.exit, end of script).
  const onExit = (): void => {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  process.once('exit', onExit);

  let ready = false;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      process.removeListener('exit', onExit);
      if (!hasExited) {
        try {
          process.kill(-pid, 'SIGTERM');
        } catch {
          // already gone
        }
        const timedOut = await Promise.race([exited.then(() => false), sleep(stopGraceMs).then(() => true)]);
        if (timedOut) {
          log(`dev server (pid ${pid}) ignored SIGTERM for ${stopGraceMs} ms; sending SIGKILL`);
          try {
            process.kill(-pid, 'SIGKILL');
          } catch {
            // already gone
          }
          await exited;
        }
      }
      watchdog.kill('SIGKILL');
      // Before ready, the caller keeps the lock across port retries and releases it if it gives up.
      if (ready) dbLock?.release();
      child.stdout?.destroy();
      child.stderr?.destroy();
    })();
    return stopping;
  };

  const fail = async (reason: string): Promise<never> => {
    await stop();
    const out = tail.text();
    const msg = `Temporal dev server (pid ${pid}) did not start (${cli.path} ${args.join(' ')}): ${reason}${out ? `\n--- server output (tail) ---\n${out}` : ''}`;
    if (/can't (set|use)[^\n]*port|address already in use/i.test(out)) throw new PortInUseError(msg);
    throw new Error(msg);
  };

  const deadline = started + readyTimeoutMs;
  // Each step also loses to the process exiting: a port held by something else would otherwise make the probes
  // talk to that other program while our server has long died.
  const exitedEarly = exited.then(({ code, signal }) => {
    throw new Error(`exited early (code ${String(code)}, signal ${String(signal)})`);
  });
  exitedEarly.catch(() => undefined);
  let connection: Connection | undefined;
  const probe = async (): Promise<void> => {
    // 1. gRPC port accepts TCP (cheap poll; a Connection to a closed port would just wait out its timeout).
    while (!(await canConnect(config.ip, config.port))) {
      if (hasExited || Date.now() > deadline) throw new Error(`gRPC port ${config.port} not open after ${Date.now() - started} ms`);
      await sleep(100);
    }
    // 2. It answers real calls, the namespace exists and has our search attributes.
    connection = await Connection.connect({ address, connectTimeout: Math.max(1000, deadline - Date.now()) });
    await connection.workflowService.getSystemInfo({});
    for (;;) {
      try {
        await connection.workflowService.describeNamespace({ namespace: config.namespace });
        break;
      } catch (err) {
        if (hasExited || Date.now() > deadline) throw err;
        await sleep(200);
      }
    }
    await ensureSearchAttributes(connection, config, log);
    // 3. The UI, when enabled, serves its page.
    if (uiUrl) await waitForUi(uiUrl, deadline);
  };
  let probeSettled = false;
  const probing = probe().finally(() => {
    probeSettled = true;
  });
  probing.catch(() => undefined); // it may lose the race and reject later
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probing,
      exitedEarly,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`not ready after ${readyTimeoutMs} ms`)), readyTimeoutMs);
      }),
    ]);
  } catch (err) {
    return await fail(err instanceof Error ? err.message : String(err));
  } finally {
    clearTimeout(timer);
    const close = (): Promise<void> | undefined => connection?.close().catch(() => undefined);
    // A probe that lost the race may still create its connection later: close it whenever it finishes.
    if (probeSettled) await close();
    else void probing.then(close, close);
  }
  ready = true;
  log(`Temporal dev server ready in ${Date.now() - started} ms (pid ${pid})`);
  return { address, uiUrl, namespace: config.namespace, pid, exited, stop };
}
