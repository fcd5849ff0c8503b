// Real embedded PostgreSQL in a temp dir: fresh init, reuse of the data dir, stale pid recovery, and cleanup.
import { spawn, spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { credentialsPath, startEmbeddedPostgres } from './embedded-postgres';

const isRoot = process.getuid?.() === 0;
let tmp: string;

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'mlc-pg-'));
  // mkdtemp makes 0700 dirs; as root, PostgreSQL runs as the `postgres` user, which must be able to enter it.
  await fs.chmod(tmp, 0o755);
});
afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

async function query<T extends Record<string, unknown>>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

async function waitUntil(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return check();
}

describe('startEmbeddedPostgres', () => {
  const dataDir = (): string => path.join(tmp, 'pg');

  it('initialises a fresh cluster with a random persisted password and the mlc database', async () => {
    const lines: string[] = [];
    const t0 = Date.now();
    const pg = await startEmbeddedPostgres({ dataDir: dataDir(), port: 0, log: (l) => lines.push(l) });
    const initMs = Date.now() - t0;
    try {
      expect(initMs).toBeLessThan(60_000);
      const url = new URL(pg.url);
      expect(url.hostname).toBe('127.0.0.1');
      expect(url.pathname).toBe('/mlc');
      expect(Number(url.port)).toBe(pg.port);
      expect(url.password.length).toBeGreaterThanOrEqual(24);
      expect(url.password).not.toBe('password');

      const rows = await query<{ one: number; db: string }>(pg.url, 'select 1 as one, current_database() as db');
      expect(rows).toEqual([{ one: 1, db: 'mlc' }]);
      await query(pg.url, 'create table persisted (id int primary key, note text)');
      await query(pg.url, 'insert into persisted values ($1, $2)', [1, 'survives a restart']);

      const credsFile = credentialsPath(dataDir());
      expect(credsFile).toBe(path.join(tmp, 'pg-credentials.json'));
      const st = await fs.stat(credsFile);
      expect(st.mode & 0o777).toBe(0o600);
      expect(JSON.parse(await fs.readFile(credsFile, 'utf8'))).toEqual({ user: 'postgres', password: decodeURIComponent(url.password) });
      expect(lines.some((l) => l.includes('initialising a new PostgreSQL cluster'))).toBe(true);
      await expect(fs.stat(path.join(dataDir(), 'PG_VERSION'))).resolves.toBeTruthy();
    } finally {
      await pg.stop();
    }
    await pg.stop(); // idempotent
    expect(await portOpen(pg.port)).toBe(false);
    await expect(fs.stat(path.join(dataDir(), 'postmaster.pid'))).rejects.toThrow();
  });

  it('reuses the existing data dir: no initdb, same password, data still there', async () => {
    const before = await fs.readFile(credentialsPath(dataDir()), 'utf8');
    const lines: string[] = [];
    const pg = await startEmbeddedPostgres({ dataDir: dataDir(), port: 0, log: (l) => lines.push(l) });
    try {
      expect(await query(pg.url, 'select id, note from persisted')).toEqual([{ id: 1, note: 'survives a restart' }]);
      expect(lines.some((l) => l.includes('initialising'))).toBe(false);
      expect(lines.some((l) => l.includes('existing cluster'))).toBe(true);
      expect(await fs.readFile(credentialsPath(dataDir()), 'utf8')).toBe(before);
    } finally {
      await pg.stop();
    }
  });

  it('refuses a second server on a data dir that is in use, naming the running one', async () => {
    const pg = await startEmbeddedPostgres({ dataDir: dataDir(), port: 0, log: () => undefined });
    try {
      await expect(startEmbeddedPostgres({ dataDir: dataDir(), port: 0, log: () => undefined })).rejects.toThrow(
        new RegExp(`PostgreSQL is already running on .*pg \\(pid \\d+, port ${pg.port}\\)`),
      );
      // ...and the first one is unharmed.
      expect(await query(pg.url, 'select count(*)::int as n from persisted')).toEqual([{ n: 1 }]);
    } finally {
      await pg.stop();
    }
  });

  it('removes a stale postmaster.pid left by a killed run', async () => {
    // A pid that certainly is not running: a process that has already exited.
    const deadPid = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    const pidFile = path.join(dataDir(), 'postmaster.pid');
    await fs.writeFile(pidFile, `${deadPid}\n${dataDir()}\n1700000000\n5432\n/tmp\nlocalhost\n  5432001   0\nready\n`);
    if (isRoot) spawnSync('chown', ['postgres:postgres', pidFile]);
    const lines: string[] = [];
    const pg = await startEmbeddedPostgres({ dataDir: dataDir(), port: 0, log: (l) => lines.push(l) });
    try {
      expect(lines.some((l) => l.includes(`removing stale ${pidFile} (pid ${deadPid} is not running)`))).toBe(true);
      expect(await query(pg.url, 'select note from persisted')).toEqual([{ note: 'survives a restart' }]);
    } finally {
      await pg.stop();
    }
  });

  it('stops the server when the owning process is SIGKILLed, so the next start works', async () => {
    // A separate node process owns the server; kill it without any chance to run exit hooks.
    const script = path.join(tmp, 'owner.ts');
    await fs.writeFile(
      script,
      `import { startEmbeddedPostgres } from ${JSON.stringify(path.resolve(__dirname, 'embedded-postgres'))};\n` +
        `void startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir())}, port: 0, log: () => undefined }).then((pg) => { process.stdout.write(String(pg.port) + '\\n'); setInterval(() => undefined, 1000); });\n`,
    );
    const owner = spawn(process.execPath, ['--import', 'tsx', script], { cwd: path.resolve(__dirname, '..'), stdio: ['ignore', 'pipe', 'inherit'] });
    const port = await new Promise<number>((resolve, reject) => {
      owner.stdout.once('data', (d: Buffer) => resolve(Number(String(d).trim())));
      owner.once('exit', (code) => reject(new Error(`owner exited with ${String(code)}`)));
    });
    expect(await portOpen(port)).toBe(true);
    owner.kill('SIGKILL');
    expect(await waitUntil(async () => !(await portOpen(port)), 20_000)).toBe(true);

    const pg = await startEmbeddedPostgres({ dataDir: dataDir(), port: 0, log: () => undefined });
    try {
      expect(await query(pg.url, 'select count(*)::int as n from persisted')).toEqual([{ n: 1 }]);
    } finally {
      await pg.stop();
    }
  });

  it('refuses an initialised data dir whose password file is gone, instead of guessing', async () => {
    const dir = path.join(tmp, 'lost-creds');
    const pg = await startEmbeddedPostgres({ dataDir: dir, port: 0, log: () => undefined });
    await pg.stop();
    await fs.rm(credentialsPath(dir));
    await expect(startEmbeddedPostgres({ dataDir: dir, port: 0, log: () => undefined })).rejects.toThrow(/password file .*lost-creds-credentials\.json is missing/);
  });

  it('checks that a root-run cluster is reachable by the postgres user (0700 parent): clear error as root, fine otherwise', async () => {
    const closed = path.join(tmp, 'closed');
    await fs.mkdir(closed, { mode: 0o700 });
    const attempt = startEmbeddedPostgres({ dataDir: path.join(closed, 'pg'), port: 0, log: () => undefined });
    if (isRoot) {
      await expect(attempt).rejects.toThrow(/'postgres' system user, which cannot enter .*closed \(mode 700\)/);
    } else {
      const pg = await attempt;
      try {
        expect(await query(pg.url, 'select 1 as one')).toEqual([{ one: 1 }]);
      } finally {
        await pg.stop();
      }
    }
  });
});
