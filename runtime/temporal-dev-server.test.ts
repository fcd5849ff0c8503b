// temporal-dev.yaml -> CLI flags (pure), and the real dev server from the cached/resolved CLI binary.
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { resolveTemporalCli, type ResolvedTemporalCli } from './temporal-cli-resolver';
import {
  DEFAULT_TEMPORAL_DEV_CONFIG,
  findFreePort,
  loadTemporalDevConfig,
  startTemporalDevServer,
  toStartDevArgs,
} from './temporal-dev-server';

const REPO = path.resolve(__dirname, '..');
const KEYWORD = 2; // temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD

let tmp: string;
beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'mlc-devserver-'));
});
afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitGone(pid: number, ms = 5000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (!isAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !isAlive(pid);
}

function portOpen(address: string): Promise<boolean> {
  const [host, port] = address.split(':');
  return new Promise((resolve) => {
    const s = net.connect({ host, port: Number(port) });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

async function customSearchAttributes(address: string, namespace: string): Promise<Record<string, number>> {
  const connection = await Connection.connect({ address });
  try {
    const res = await connection.operatorService.listSearchAttributes({ namespace });
    return Object.fromEntries(Object.entries(res.customAttributes ?? {}).map(([k, v]) => [k, Number(v)]));
  } finally {
    await connection.close();
  }
}

describe('temporal-dev.yaml', () => {
  it('loads the repo file with the settings the project relies on', () => {
    const c = loadTemporalDevConfig(DEFAULT_TEMPORAL_DEV_CONFIG);
    expect(c).toMatchObject({ namespace: 'default', ip: '127.0.0.1', port: 7233, uiPort: 8233, headless: false, logLevel: 'warn' });
    // Relative to the yaml file (the repo root), not to whatever cwd the process has.
    expect(c.dbFile).toBe(path.join(REPO, '.data', 'temporal', 'temporal.db'));
    expect(c.searchAttributes).toEqual({ CustomerId: 'Keyword', SyncPair: 'Keyword', ConnectionId: 'Keyword' });
    expect(c.dynamicConfig).toMatchObject({
      'frontend.enableUpdateWorkflowExecution': true,
      'frontend.enableUpdateWorkflowExecutionAsyncAccepted': true,
      'system.forceSearchAttributesCacheRefreshOnRead': true,
    });
    expect(typeof c.dynamicConfig['limit.historyCount.suggestContinueAsNew']).toBe('number');
  });

  it('applies overrides: ports, in-memory db, merged dynamic config, headless', () => {
    const c = loadTemporalDevConfig(DEFAULT_TEMPORAL_DEV_CONFIG, {
      port: 17233,
      uiPort: 18233,
      dbFile: null,
      headless: true,
      dynamicConfig: { 'limit.historyCount.suggestContinueAsNew': 50 },
    });
    expect(c).toMatchObject({ port: 17233, uiPort: 18233, dbFile: null, headless: true });
    expect(c.dynamicConfig['limit.historyCount.suggestContinueAsNew']).toBe(50);
    expect(c.dynamicConfig['frontend.enableUpdateWorkflowExecution']).toBe(true);
    expect(() => loadTemporalDevConfig(DEFAULT_TEMPORAL_DEV_CONFIG, { port: 70000 })).toThrow();
  });

  it('rejects unknown keys and bad values with the file name and the key', async () => {
    const bad = path.join(tmp, 'bad.yaml');
    await fs.writeFile(bad, 'port: "seventy"\nsearch-attributes:\n  CustomerId: Keywrd\nui-prot: 1\n');
    let message = '';
    try {
      loadTemporalDevConfig(bad);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain(bad);
    expect(message).toContain('port');
    expect(message).toContain('CustomerId');
    expect(message).toContain('ui-prot');
  });
});

describe('toStartDevArgs', () => {
  it('turns the config into start-dev flags, JSON-encoding dynamic config values', () => {
    const args = toStartDevArgs({
      namespace: 'mlc',
      ip: '127.0.0.1',
      port: 7233,
      uiPort: 8233,
      headless: false,
      uiCodecEndpoint: 'http://127.0.0.1:8888',
      dbFile: '/data/temporal.db',
      searchAttributes: { CustomerId: 'Keyword', SyncPair: 'Keyword' },
      dynamicConfig: { 'frontend.enableUpdateWorkflowExecution': true, 'limit.historyCount.suggestContinueAsNew': 2000, 'some.string': 'x y' },
      logLevel: 'warn',
    });
    expect(args).toEqual([
      '--ip', '127.0.0.1',
      '--port', '7233',
      '--namespace', 'mlc',
      '--ui-port', '8233',
      '--ui-codec-endpoint', 'http://127.0.0.1:8888',
      '--db-filename', '/data/temporal.db',
      '--search-attribute', 'CustomerId=Keyword',
      '--search-attribute', 'SyncPair=Keyword',
      '--dynamic-config-value', 'frontend.enableUpdateWorkflowExecution=true',
      '--dynamic-config-value', 'limit.historyCount.suggestContinueAsNew=2000',
      '--dynamic-config-value', 'some.string="x y"',
      '--log-level', 'warn',
    ]); // prettier-ignore
  });

  it('omits the always-present default namespace, uses --headless without UI flags, and no db flag in memory', () => {
    const args = toStartDevArgs({ ...loadTemporalDevConfig(DEFAULT_TEMPORAL_DEV_CONFIG), headless: true, dbFile: null });
    expect(args).toContain('--headless');
    expect(args).not.toContain('--namespace');
    expect(args).not.toContain('--ui-port');
    expect(args).not.toContain('--db-filename');
  });

  it('refuses port 0 (free ports are picked by startTemporalDevServer)', () => {
    expect(() => toStartDevArgs({ ...loadTemporalDevConfig(DEFAULT_TEMPORAL_DEV_CONFIG), port: 0 })).toThrow(/concrete ports/);
  });
});

describe('startTemporalDevServer (real dev server)', () => {
  let cli: ResolvedTemporalCli;
  beforeAll(async () => {
    cli = await resolveTemporalCli({ log: () => undefined });
  });

  it('starts in memory on free ports with the search attributes and the UI, and stop() leaves no process', async () => {
    const lines: string[] = [];
    const started = Date.now();
    const server = await startTemporalDevServer({ cli, overrides: { port: 0, uiPort: 0, dbFile: null }, log: (l) => lines.push(l) });
    let stopped = false;
    try {
      const startMs = Date.now() - started;
      expect(startMs).toBeLessThan(30_000);
      expect(server.address).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(server.address).not.toBe('127.0.0.1:7233');
      expect(server.namespace).toBe('default');

      const attrs = await customSearchAttributes(server.address, 'default');
      expect(attrs).toMatchObject({ CustomerId: KEYWORD, SyncPair: KEYWORD, ConnectionId: KEYWORD });

      expect(server.uiUrl).toBeDefined();
      const ui = await fetch(server.uiUrl ?? '');
      expect(ui.status).toBe(200);
      await ui.arrayBuffer();

      await server.stop();
      stopped = true;
      await server.stop(); // idempotent
      expect(await waitGone(server.pid)).toBe(true);
      expect(await portOpen(server.address)).toBe(false);
      await expect(server.exited).resolves.toBeDefined();
    } finally {
      if (!stopped) await server.stop();
    }
  });

  it('keeps runs in a db file across restarts and adds search attributes the existing db lacks', async () => {
    const dbFile = path.join(tmp, 'nested', 'temporal.db');
    const smallConfig = path.join(tmp, 'small.yaml');
    await fs.writeFile(smallConfig, 'headless: true\nsearch-attributes:\n  CustomerId: Keyword\n');

    const first = await startTemporalDevServer({ cli, configPath: smallConfig, overrides: { port: 0, dbFile }, log: () => undefined });
    try {
      expect(await customSearchAttributes(first.address, 'default')).toHaveProperty('CustomerId', KEYWORD);
      expect(first.uiUrl).toBeUndefined();
    } finally {
      await first.stop();
    }
    await expect(fs.stat(dbFile)).resolves.toBeTruthy();
    await expect(fs.stat(`${dbFile}.lock`)).rejects.toThrow(); // released by stop()

    // Same db file, full repo config: the CLI skips the existing namespace, we add SyncPair/ConnectionId.
    const lines: string[] = [];
    const second = await startTemporalDevServer({ cli, overrides: { port: 0, dbFile, headless: true }, log: (l) => lines.push(l) });
    try {
      const attrs = await customSearchAttributes(second.address, 'default');
      expect(attrs).toMatchObject({ CustomerId: KEYWORD, SyncPair: KEYWORD, ConnectionId: KEYWORD });
      expect(lines.some((l) => l.includes('registering missing search attributes on default: SyncPair, ConnectionId'))).toBe(true);
      // A second server on the same SQLite file would fight over shard ownership: refused.
      await expect(startTemporalDevServer({ cli, overrides: { port: 0, dbFile, headless: true }, log: () => undefined })).rejects.toThrow(
        `${dbFile} is in use by another Temporal dev server (process ${process.pid}, server ${second.pid})`,
      );
    } finally {
      await second.stop();
    }
  });

  it('refuses a port that something else already listens on, before spawning', async () => {
    const port = await findFreePort();
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      await expect(startTemporalDevServer({ cli, overrides: { port, dbFile: null, headless: true }, log: () => undefined })).rejects.toThrow(
        `gRPC port 127.0.0.1:${port} is already in use`,
      );
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('reports an early exit with the server output tail, and leaves nothing running', async () => {
    // A directory as the SQLite file: the CLI starts, then dies opening the database.
    const err = await startTemporalDevServer({ cli, overrides: { port: 0, dbFile: tmp, headless: true }, log: () => undefined }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).toMatch(/Temporal dev server \(pid \d+\) did not start[\s\S]*exited early[\s\S]*server output \(tail\)/);
    const pid = Number(/\(pid (\d+)\)/.exec(err?.message ?? '')?.[1]);
    expect(pid).toBeGreaterThan(0);
    expect(await waitGone(pid)).toBe(true);
  });

  it('takes the server down when the owning process is SIGKILLed (watchdog)', async () => {
    const script = path.join(tmp, 'owner.ts');
    await fs.writeFile(
      script,
      `import { startTemporalDevServer } from ${JSON.stringify(path.resolve(__dirname, 'temporal-dev-server'))};\n` +
        `void startTemporalDevServer({ cli: ${JSON.stringify(cli)}, overrides: { port: 0, dbFile: null, headless: true }, log: () => undefined })` +
        `.then((s) => process.stdout.write(JSON.stringify({ pid: s.pid, address: s.address }) + '\\n'));\n`,
    );
    // Plain node with the tsx loader: a single process to kill (the tsx CLI would put a parent in between).
    const owner = spawn(process.execPath, ['--import', 'tsx', script], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
    const server = await new Promise<{ pid: number; address: string }>((resolve, reject) => {
      owner.stdout.once('data', (d: Buffer) => resolve(JSON.parse(String(d)) as { pid: number; address: string }));
      owner.once('exit', (code) => reject(new Error(`owner exited with ${String(code)}`)));
    });
    expect(isAlive(server.pid)).toBe(true);
    expect(await portOpen(server.address)).toBe(true);
    owner.kill('SIGKILL');
    expect(await waitGone(server.pid, 20_000)).toBe(true);
    expect(await portOpen(server.address)).toBe(false);
  });
});
