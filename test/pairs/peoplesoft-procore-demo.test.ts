import { type Client } from '@temporalio/client';
import { createApp } from '../../api/app';
import { createLogger } from '../../core/logger';
import { listen, type Listening } from '../../core/listen';
import { statusQuery, syncWorkflowId } from '../../core/sync-messages';
import { peopleSoftProcore } from '../../pairs/peoplesoft-procore';
import { FLOW_REQUISITIONS } from '../../pairs/peoplesoft-procore/config';
import { invoiceIdOf } from '../../pairs/peoplesoft-procore/map-requisition';
import { psPoIdOf } from '../../pairs/peoplesoft-procore/procore-po-flow';
import { startDemoConnection } from '../../runtime/demo-connection';
import { type RunningSimulator } from '../../simulators/kit/types';
import { PeopleSoftSimAdmin } from '../../simulators/peoplesoft/admin-client';
import { ProcoreSimAdmin } from '../../simulators/procore/admin-client';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { testMasterKey } from '../support/env';
import { testClient, uniqueTaskQueue } from '../support/temporal';
import { eventually, type WorkerProcess } from '../support/worker-process';
import { startProductWorker } from './pair-harness';

/** The demo `npm start` runs (`CustomerId = "demo-procore"`): its Procore-made commitment and pay applications. */
describe('the PeopleSoft <-> Procore demo connection', () => {
  let db: TestDatabase;
  let client: Client;
  let api: Listening;
  let worker: WorkerProcess | undefined;
  const sims: RunningSimulator[] = [];
  const simulators: Record<string, string> = {};
  const masterKey = testMasterKey();
  const taskQueue = uniqueTaskQueue('procore-demo');
  const connectionId = 'procore-demo';

  beforeAll(async () => {
    db = await createTestDatabase('procore-demo');
    client = await testClient();
    for (const [name, start] of Object.entries(peopleSoftProcore.demo!.simulators)) {
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

  it('turns the commitment made in Procore into a PeopleSoft PO and its two requisitions into vouchers on it', async () => {
    const demo = await startDemoConnection(peopleSoftProcore, { pool: db.pool, temporal: client, taskQueue, masterKey, simulators, apiUrl: api.baseUrl, connectionId });
    const status = await eventually(async () => {
      const s = await client.workflow.getHandle(demo.workflowId).query(statusQuery);
      return s.totals.polls >= 1 && s.state === 'idle' && s;
    }, 180_000, "the demo connection's first poll");
    expect(status.progress[FLOW_REQUISITIONS]).toMatchObject({ synced: 2, failed: 0 });
    expect(status.progress[FLOW_REQUISITIONS]!.lastError).toBeUndefined();

    const procore = new ProcoreSimAdmin(simulators.procore!);
    const commitment = (await procore.records('commitments')).find((c) => c.title === 'Concrete supply')!;
    const requisitions = (await procore.records('requisitions')).filter((q) => q.commitment_id === commitment.id);
    expect(requisitions).toHaveLength(2);
    const vouchers = await new PeopleSoftSimAdmin(simulators.peoplesoft!).rows('voucher');
    const mine = requisitions.map((q) => vouchers.find((v) => v.INVOICE_ID === invoiceIdOf(q.id)));
    expect(mine.map((v) => (v?.VOUCHER_LINE as { PO_ID: string }[] | undefined)?.map((l) => l.PO_ID))).toEqual([
      [psPoIdOf(commitment.id), psPoIdOf(commitment.id)],
      [psPoIdOf(commitment.id)],
    ]);
    process.stdout.write(`[measure] demo: commitment ${commitment.id} -> PO ${psPoIdOf(commitment.id)}, ${mine.length} vouchers ${mine.map((v) => String(v?.VOUCHER_ID)).join(', ')}\n`);
  }, 240_000);
});
