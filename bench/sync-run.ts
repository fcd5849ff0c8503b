/**
 * One initial sync of N PeopleSoft vouchers into an empty Asana project, measured two ways in the same process:
 * through ml-connector (Temporal workflow, activities in a worker child, PostgreSQL links and audit) and as a bare
 * loop making the same HTTP calls with the same concurrency (no Temporal, no PostgreSQL). Used by P1, P2 and P7.
 */
import { createAsanaConnector } from '../connectors/asana';
import { ASANA, asanaRateLimitPolicy } from '../connectors/asana/provider';
import { RateLimiterRegistry } from '../connectors/http/rate-limiter';
import { createPeopleSoftConnector } from '../connectors/peoplesoft';
import { recordKey } from '../connectors/peoplesoft';
import { peopleSoftAsanaConfigSchema } from '../pairs/peoplesoft-asana/config';
import { statusQuery } from '../core/sync-messages';
import { mapDocument, type DocumentData } from '../pairs/peoplesoft-asana/map-documents';
import { APPLY_CONCURRENCY } from './constants';
import { randomTaskQueue, startWorker, until, workflowActions, type Services } from './harness';
import { Scenario } from './scenario';
import { cpuDelta, cpuSnapshot, type CpuByPart } from './cpu-usage';
import { pairConfig } from '../pairs/peoplesoft-asana/demo-world';
import { DEMO_OPRID, DEMO_PASSWORD } from '../simulators/peoplesoft';

const UNLIMITED = 1_000_000_000;

export interface SyncMeasure {
  records: number;
  seconds: number;
  perSecond: number;
  tasks: number;
  actions: number;
  actionsByKind: Record<string, number>;
  historyEvents: number;
  workerPeakRssMb: number;
  /** CPU seconds per part during the sync (bench/cpu-usage.ts). */
  cpu: CpuByPart;
  /** PostgreSQL work in the connection's database during the sync. */
  postgres: PgWork;
}

export interface PgWork {
  commits: number;
  rowsInserted: number;
  rowsUpdated: number;
}

async function pgWork(s: Scenario): Promise<PgWork> {
  const { rows } = await s.pool.query<{ c: string; i: string; u: string }>(
    'SELECT xact_commit AS c, tup_inserted AS i, tup_updated AS u FROM pg_stat_database WHERE datname = current_database()',
  );
  return { commits: Number(rows[0]!.c), rowsInserted: Number(rows[0]!.i), rowsUpdated: Number(rows[0]!.u) };
}

async function world(services: Services, label: string, n: number): Promise<Scenario> {
  const { pool, url } = await services.database(label);
  const s = new Scenario(services, pool, url, randomTaskQueue(label));
  await s.setup({ vouchers: n });
  // No partner rate limit in this run (the P1): the simulator lets everything through.
  await s.asana.admin.setRateLimits({ requestsPerMinute: UNLIMITED });
  return s;
}

/** ml-connector: a connection's first poll, from workflow start to the workflow reporting the poll finished. */
export async function connectorSync(services: Services, n: number, opts: { cpuProfileDir?: string } = {}): Promise<SyncMeasure> {
  const s = await world(services, `sync${n}`, n);
  const worker = await startWorker(services, { taskQueue: s.taskQueue, databaseUrl: s.databaseUrl, masterKey: s.masterKey, unlimitedAsanaTokens: [s.token()], cpuProfileDir: opts.cpuProfileDir });
  try {
    const [cpuBefore, pgBefore] = [cpuSnapshot(worker.pid), await pgWork(s)];
    const began = Date.now();
    const workflowId = await s.connect({ schedule: '@every 3600s' });
    const handle = services.client.workflow.getHandle(workflowId);
    await until(async () => {
      const st = await handle.query(statusQuery);
      return st.totals.polls >= 1 && st.state === 'idle';
    }, 30 * 60_000, `first poll of ${n} vouchers`);
    const seconds = (Date.now() - began) / 1000;
    const cpu = cpuDelta(cpuBefore, cpuSnapshot(worker.pid));
    // Backends report their counters to the cumulative statistics within a second of going idle.
    await new Promise((r) => setTimeout(r, 1_500));
    const pgAfter = await pgWork(s);
    const postgres = { commits: pgAfter.commits - pgBefore.commits, rowsInserted: pgAfter.rowsInserted - pgBefore.rowsInserted, rowsUpdated: pgAfter.rowsUpdated - pgBefore.rowsUpdated };
    const tasks = (await s.asana.admin.tasks()).length;
    const actions = await workflowActions(services.client, workflowId);
    await handle.terminate('benchmark finished');
    return {
      records: n,
      seconds,
      perSecond: n / seconds,
      tasks,
      actions: actions.total,
      actionsByKind: actions.byKind,
      historyEvents: actions.events,
      workerPeakRssMb: worker.peakRssMb(),
      cpu,
      postgres,
    };
  } finally {
    await worker.stop();
    await s.stop();
  }
}

/** The bare loop: fetch the same windows from PeopleSoft, map, POST each task, 8 at a time. */
export async function bareLoopSync(services: Services, n: number): Promise<{ seconds: number; perSecond: number; tasks: number; cpu: CpuByPart }> {
  const s = await world(services, `bare${n}`, n);
  try {
    const config = peopleSoftAsanaConfigSchema.parse(pairConfig(s.world, s.ps.baseUrl, s.asana.apiUrl, s.apiUrl));
    const limiters = new RateLimiterRegistry();
    limiters.for(ASANA, s.token(), { ...asanaRateLimitPolicy, requestsPerWindow: UNLIMITED });
    const asana = createAsanaConnector({ ...config.asana, token: s.token() }, { limiters });
    const ps = createPeopleSoftConnector({ ...config.peoplesoft, auth: { method: 'basic', oprid: DEMO_OPRID, password: DEMO_PASSWORD } });
    const cpuBefore = cpuSnapshot();
    const began = Date.now();
    const { rows } = await ps.fetchChanged('voucher', { from: new Date(config.initialFrom!), to: new Date() });
    let next = 0;
    const lane = async () => {
      while (next < rows.length) {
        const row = rows[next++]!;
        const data: DocumentData = { kind: 'voucher', row };
        const payload = mapDocument(config, { key: recordKey('voucher', row.BUSINESS_UNIT, row.VOUCHER_ID), updatedAt: row.LASTUPDDTTM, data });
        await asana.createTask(payload);
      }
    };
    await Promise.all(Array.from({ length: APPLY_CONCURRENCY }, lane));
    const seconds = (Date.now() - began) / 1000;
    return { seconds, perSecond: n / seconds, tasks: (await s.asana.admin.tasks()).length, cpu: cpuDelta(cpuBefore, cpuSnapshot()) };
  } finally {
    await s.stop();
  }
}
