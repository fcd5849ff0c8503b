// Starts the local Temporal dev server (`temporal server start-dev`) from temporal-dev.yaml.
// Used by `npm run temporal`, `npm start` and the jest global setup, so it must: find the CLI without
// internet, survive port clashes in parallel runs (port 0 = pick a free one), never leave a server behind
// (own process group + a watchdog that kills it if this process dies), and only return once the
// server really answers gRPC (and the UI answers HTTP 200).
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { findFreePort } from '../core/free-port';
import { resolveTemporalCli, type ResolvedTemporalCli } from './temporal-cli-resolver';
import { DEFAULT_TEMPORAL_DEV_CONFIG, INDEXED_VALUE_TYPE, loadTemporalDevConfig, toStartDevArgs, type TemporalDevConfig, type TemporalDevOverrides } from './temporal-dev-config';
import { canConnect, lockDbFile, OutputTail, sleep, startWatchdog, waitForUi, type DbLock } from './dev-server-process';

export { DEFAULT_TEMPORAL_DEV_CONFIG, loadTemporalDevConfig, toStartDevArgs, type TemporalDevConfig, type TemporalDevOverrides } from './temporal-dev-config';

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


export { findFreePort };

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
