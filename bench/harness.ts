/**
 * Starts the real servers once per bench run (same as the test harness: Temporal dev server in memory on free ports,
 * embedded PostgreSQL in its own temp data dir, the workflow bundle built once), and runs workers as child
 * processes so a benchmark can read the worker's own peak RSS.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import { Pool } from 'pg';
import { startEmbeddedPostgres } from '../db/embedded-postgres';
import { migrateUp } from '../db/migrate';
import { createPool } from '../db/pool';
import { findFreePort } from '../core/free-port';
import { resolveTemporalCli } from '../runtime/temporal-cli-resolver';
import { startTemporalDevServer } from '../runtime/temporal-dev-server';
import { WORKFLOWS_PATH } from '../workers/create-worker';
import { countActions, pendingActivityRetries, sumActions, type ActionCount } from './actions';
import { POLL_ATTEMPT_LINE, type PollAttempt } from './poll-attempts';
import { encryptedDataConverter, FAILURE_CONVERTER_PATH } from '../runtime/payload-codec';
import { stopChild } from '../runtime/stop-child';

const ROOT = path.resolve(__dirname, '..');
const silent = { trace: () => undefined, debug: () => undefined, info: () => undefined, log: () => undefined, warn: () => undefined, error: (m: string) => process.stderr.write(`[bundler] ${m}\n`) };

export interface Services {
  temporalAddress: string;
  namespace: string;
  client: Client;
  /** MLC_MASTER_KEY of this run (credentials and Temporal payloads). */
  masterKey: string;
  bundlePath: string;
  runDir: string;
  /** A fresh migrated database per benchmark, so row counts never leak between them. */
  database(label: string): Promise<{ url: string; pool: Pool }>;
  stop(): Promise<void>;
}

export async function startServices(log: (line: string) => void): Promise<Services> {
  const runDir = path.join(tmpdir(), `mlc-bench-${process.pid}`);
  mkdirSync(runDir, { recursive: true });
  const cli = await resolveTemporalCli({ log });
  const [port, uiPort] = [await findFreePort(), await findFreePort()];
  const [temporal, pg, bundle] = await Promise.all([
    // Production-like dynamic config from temporal-dev.yaml: only ports and the in-memory db are overridden.
    startTemporalDevServer({ cli, log, overrides: { port, uiPort, dbFile: null, headless: true } }),
    startEmbeddedPostgres({ dataDir: path.join(runDir, 'pg'), port: 0, log }),
    bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: silent , failureConverterPath: FAILURE_CONVERTER_PATH }),
  ]);
  const bundlePath = path.join(runDir, 'workflow-bundle.js');
  writeFileSync(bundlePath, bundle.code);
  const connection = await Connection.connect({ address: temporal.address });
  // One credential/payload key per bench run: every scenario's workers and API and this client must agree on it.
  const masterKey = `bench:${randomBytes(32).toString('base64')}`;
  const client = new Client({ connection, namespace: temporal.namespace, dataConverter: encryptedDataConverter(masterKey) });
  const pools: Pool[] = [];
  return {
    temporalAddress: temporal.address,
    namespace: temporal.namespace,
    client,
    masterKey,
    bundlePath,
    runDir,
    async database(label) {
      const name = `b_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomBytes(3).toString('hex')}`;
      const admin = new Pool({ connectionString: pg.url, max: 1 });
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      const url = new URL(pg.url);
      url.pathname = `/${name}`;
      const pool = createPool(url.toString(), 10);
      pools.push(pool);
      await migrateUp(pool);
      return { url: url.toString(), pool };
    },
    async stop() {
      await Promise.allSettled(pools.map((p) => p.end()));
      await connection.close();
      await Promise.allSettled([temporal.stop(), pg.stop()]);
      rmSync(runDir, { recursive: true, force: true });
    },
  };
}

export interface BenchWorker {
  pid: number;
  /** Peak resident set size of the worker process so far (VmHWM), in MB. */
  peakRssMb(): number;
  /** Every poll attempt the worker ran so far (see poll-attempts.ts). */
  pollAttempts(): PollAttempt[];
  stop(): Promise<void>;
}

export async function startWorker(
  services: Services,
  opts: { taskQueue: string; databaseUrl: string; masterKey: string; unlimitedAsanaTokens?: string[]; cpuProfileDir?: string },
): Promise<BenchWorker> {
  const args = ['--import', 'tsx', ...(opts.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProfileDir}`] : []), path.join(ROOT, 'bench', 'worker-entry.ts')];
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      ...process.env,
      BENCH_TEMPORAL_ADDRESS: services.temporalAddress,
      BENCH_NAMESPACE: services.namespace,
      BENCH_TASK_QUEUE: opts.taskQueue,
      BENCH_DATABASE_URL: opts.databaseUrl,
      BENCH_MASTER_KEY: opts.masterKey,
      BENCH_WORKFLOW_BUNDLE: services.bundlePath,
      BENCH_UNLIMITED_ASANA_TOKENS: JSON.stringify(opts.unlimitedAsanaTokens ?? []),
    },
  });
  const attempts: PollAttempt[] = [];
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith(POLL_ATTEMPT_LINE)) attempts.push(JSON.parse(line.slice(POLL_ATTEMPT_LINE.length)) as PollAttempt);
      else if (line.trim() === 'ready') resolve();
    });
    child.once('exit', (code) => reject(new Error(`bench worker exited with ${code} before it was ready`)));
  });
  return {
    pid: child.pid!,
    peakRssMb: () => {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      return m ? Number(m[1]) / 1024 : NaN;
    },
    pollAttempts: () => attempts,
    stop: () => stopChild(child),
  };
}

export type HistoryEvent = Awaited<ReturnType<WorkflowHandle['fetchHistory']>>['events'] extends (infer E)[] | null | undefined ? E : never;

/** Every run of a workflow id (walks the continue-as-new chain back from the latest run), oldest first. */
export async function runHistories(client: Client, workflowId: string): Promise<HistoryEvent[][]> {
  const runs: HistoryEvent[][] = [];
  let runId: string | undefined;
  for (;;) {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const events = history.events ?? [];
    runs.unshift(events);
    const previous = events[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId;
    if (!previous) return runs;
    runId = previous;
  }
}

/** Actions of every run so far, with the retries of activities still open (which their history does not show yet). */
export async function workflowActions(client: Client, workflowId: string): Promise<ActionCount & { runs: number; events: number }> {
  const runs = await runHistories(client, workflowId);
  const retries = pendingActivityRetries((await client.workflow.getHandle(workflowId).describe()).raw.pendingActivities ?? []);
  const open: ActionCount = { total: retries, byKind: retries ? { activityRetries: retries } : {}, heartbeatsEstimated: 0 };
  return { ...sumActions([...runs.map(countActions), open]), runs: runs.length, events: runs.reduce((a, r) => a + r.length, 0) };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until<T>(fn: () => Promise<T | undefined | false>, timeoutMs: number, what: string, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export const randomTaskQueue = (label: string) => `bench-${label}-${randomBytes(3).toString('hex')}`;
