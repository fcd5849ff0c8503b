import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { findFreePort } from '../../core/free-port';
import { stopChild } from '../../runtime/stop-child';
import { testServices } from '../support/env';

export const ROOT = path.resolve(__dirname, '..', '..');

export interface RunningStack {
  dataDir: string;
  apiUrl: string;
  uiUrl: string;
  temporalAddress: string;
  /** The environment a newcomer's second terminal has: the data dir and nothing about keys or URLs. */
  env: NodeJS.ProcessEnv;
  output: () => string;
  stop(): Promise<void>;
}

/** A command run from the checkout, as a person types it in a second terminal. */
export function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd: ROOT, env, timeout: 90_000 }, (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}

/**
 * `npm start` exactly as a newcomer runs it (runtime/start.ts: Temporal dev server with its UI, embedded PostgreSQL,
 * simulators, worker, API), in a fresh data dir on free ports so it runs beside a developer's own stack. The dev
 * server's SQLite file goes into that data dir too (a copy of temporal-dev.yaml pointing there).
 */
export async function startStack(): Promise<RunningStack> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'mlc-first-hour-'));
  // As root, PostgreSQL runs as the `postgres` user, which must be able to enter the data dir.
  await fs.chmod(dataDir, 0o755);
  const yaml = parse(readFileSync(path.join(ROOT, 'temporal-dev.yaml'), 'utf8')) as Record<string, unknown>;
  const devConfig = path.join(dataDir, 'temporal-dev.yaml');
  await fs.writeFile(devConfig, stringify({ ...yaml, 'db-filename': 'temporal/temporal.db' }));
  const [api, temporal, ui, pg] = [await findFreePort(), await findFreePort(), await findFreePort(), await findFreePort()];
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, MLC_DATA_DIR: dataDir };
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'runtime', 'start.ts')], {
    cwd: ROOT,
    env: {
      ...env,
      API_PORT: String(api),
      TEMPORAL_PORT: String(temporal),
      TEMPORAL_UI_PORT: String(ui),
      EMBEDDED_PG_PORT: String(pg),
      TEMPORAL_DEV_CONFIG: devConfig,
      TEMPORAL_CLI: testServices().temporalCli,
      LOG_FORMAT: 'json',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (out += c));
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (out.includes('Press Ctrl-C to stop.')) {
        clearInterval(timer);
        resolve();
      }
    }, 200);
    child.once('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`npm start exited with ${code} before it was ready:\n${out.slice(-4000)}`));
    });
  });
  return {
    dataDir,
    apiUrl: `http://127.0.0.1:${api}`,
    uiUrl: `http://127.0.0.1:${ui}`,
    temporalAddress: `127.0.0.1:${temporal}`,
    env,
    output: () => out,
    stop: async () => {
      // Ctrl-C: start.ts stops the API, worker, simulators, PostgreSQL and the dev server in reverse order.
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGINT');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 60_000))]);
      }
      await stopChild(child, 5_000);
    },
  };
}
