/**
 * One initial sync of N PeopleSoft vouchers into an empty Asana project, measured two ways in the same process:
 * through ml-connector (Temporal workflow, activities in a worker child, PostgreSQL links and audit) and as a bare
 * loop making the same HTTP calls with the same concurrency (no Temporal, no PostgreSQL). Used by P1, P2 and P7.
 */
import { createAsanaConnector } from '../connectors/asana';
import { ASANA, asanaRateLimitPolicy } from '../connectors/asana/provider';
import { RateLimiterRegistry } from '../connectors/http/rate-limiter';
import { createPeopleSoftConnector } from '../connectors/peoplesoft';
import { peopleSoftAsanaConfigSchema, recordKey } from '../core/pairs/peoplesoft-asana';
import { statusQuery } from '../core/sync-messages';
import { mapDocument, type DocumentData } from '../activities/flows/peoplesoft-asana/map-documents';
import { APPLY_CONCURRENCY } from './constants';
import { randomTaskQueue, startWorker, until, workflowActions, type Services } from './harness';
import { Scenario } from './scenario';
import { pairConfig } from '../simulators/demo/peoplesoft-asana';
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
export async function connectorSync(services: Services, n: number): Promise<SyncMeasure> {
  const s = await world(services, `sync${n}`, n);
  const worker = await startWorker(services, { taskQueue: s.taskQueue, databaseUrl: s.databaseUrl, masterKey: s.masterKey, unlimitedAsanaTokens: [s.token()] });
  try {
    const began = Date.now();
    const workflowId = await s.connect({ schedule: '@every 3600s' });
    const handle = services.client.workflow.getHandle(workflowId);
    await until(async () => {
      const st = await handle.query(statusQuery);
      return st.totals.polls >= 1 && st.state === 'idle';
    }, 30 * 60_000, `first poll of ${n} vouchers`);
    const seconds = (Date.now() - began) / 1000;
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
    };
  } finally {
    await worker.stop();
    await s.stop();
  }
}

/** The bare loop: fetch the same windows from PeopleSoft, map, POST each task, 8 at a time. */
export async function bareLoopSync(services: Services, n: number): Promise<{ seconds: number; perSecond: number; tasks: number }> {
  const s = await world(services, `bare${n}`, n);
  try {
    const config = peopleSoftAsanaConfigSchema.parse(pairConfig(s.world, s.ps.baseUrl, s.asana.apiUrl, s.apiUrl));
    const limiters = new RateLimiterRegistry();
    limiters.for(ASANA, s.token(), { ...asanaRateLimitPolicy, requestsPerWindow: UNLIMITED });
    const asana = createAsanaConnector({ ...config.asana, token: s.token() }, { limiters });
    const ps = createPeopleSoftConnector({ ...config.peoplesoft, auth: { method: 'basic', oprid: DEMO_OPRID, password: DEMO_PASSWORD } });
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
    return { seconds, perSecond: n / seconds, tasks: (await s.asana.admin.tasks()).length };
  } finally {
    await s.stop();
  }
}
