import { type Client } from '@temporalio/client';
import { createApp } from '../../api/app';
import { createLogger } from '../../core/logger';
import { listen, type Listening } from '../../core/listen';
import { statusQuery, syncWorkflowId } from '../../core/sync-messages';
import { listAuditEvents } from '../../db/audit-events';
import { getConnection } from '../../db/connections';
import { listRoster } from '../../db/roster-entries';
import { peopleSoftAsana } from '../../pairs/peoplesoft-asana';
import { startDemoConnection } from '../../runtime/demo-connection';
import { type RunningSimulator } from '../../simulators/kit/types';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { testMasterKey } from '../support/env';
import { testClient, uniqueTaskQueue } from '../support/temporal';
import { eventually, type WorkerProcess } from '../support/worker-process';
import { startProductWorker } from './pair-harness';

/** The demo `npm start` runs (50 records per object): its approval tasks are assigned through the roster. */
describe('the PeopleSoft <-> Asana demo connection', () => {
  let db: TestDatabase;
  let client: Client;
  let api: Listening;
  let worker: WorkerProcess | undefined;
  const sims: RunningSimulator[] = [];
  const simulators: Record<string, string> = {};
  const masterKey = testMasterKey();
  const taskQueue = uniqueTaskQueue('roster-demo');
  const connectionId = 'roster-demo';

  beforeAll(async () => {
    db = await createTestDatabase('roster-demo');
    client = await testClient();
    for (const [name, start] of Object.entries(peopleSoftAsana.demo.simulators)) {
      const sim = await start({ port: 0, demoRecords: 50 });
      sims.push(sim);
      simulators[name] = sim.baseUrl;
    }
    api = await listen(createApp({ pool: db.pool, temporal: client, logger: createLogger('silent', 'api'), taskQueue, masterKey }));
    worker = await startProductWorker({ pool: db.pool, taskQueue, masterKey });
  }, 120_000);
  afterAll(async () => {
    await client?.workflow.getHandle(syncWorkflowId(connectionId)).terminate('test finished').catch(() => undefined);
    await worker?.stop();
    await api?.close();
    for (const sim of sims) await sim.close();
    await client?.connection.close();
    await db?.drop();
  });

  it('assigns every document through the roster or, for an approver without an Asana account, to the fallback; none waits', async () => {
    const demo = await startDemoConnection(peopleSoftAsana, { pool: db.pool, temporal: client, taskQueue, masterKey, simulators, apiUrl: api.baseUrl, connectionId });
    const status = await eventually(async () => {
      const s = await client.workflow.getHandle(demo.workflowId).query(statusQuery);
      return s.totals.polls >= 1 && s.state === 'idle' && s;
    }, 180_000, "the demo connection's first poll");
    expect(Object.entries(status.progress).filter(([, p]) => p.lastError || p.waiting?.count)).toEqual([]);
    expect((await getConnection(db.pool, connectionId))!.config).toMatchObject({ approvers: {}, flows: { roster: true } });

    const roster = await listRoster(db.pool, connectionId);
    expect(roster.filter((e) => e.status === 'matched').map((e) => e.emplid)).toEqual(['KU0001', 'KU0002']);
    const creates = (await listAuditEvents(db.pool, { connectionId, limit: 500 })).filter((e) => e.action === 'create' && /^(voucher|requisition):/.test(e.record_key));
    const via = (v: string) => creates.filter((e) => (e.detail?.assignment as { via?: string } | undefined)?.via === v).map((e) => e.record_key);
    expect(creates).toHaveLength(100);
    expect(via('roster').length + via('fallback').length).toBe(100);
    expect(via('roster').every((k) => /:(US001|US002)\//.test(k))).toBe(true);
    expect(via('fallback').every((k) => k.includes(':CAN01/'))).toBe(true);
    process.stdout.write(`[measure] demo: ${creates.length} documents, ${via('roster').length} assigned through the roster, ${via('fallback').length} to the fallback approver\n`);
  }, 240_000);
});
