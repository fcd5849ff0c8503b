import { randomUUID } from 'node:crypto';
import { type Client, type WorkflowHandle } from '@temporalio/client';
import { statusQuery } from '../../core/sync-messages';
import { syncStartOptions } from '../../core/sync-start';
import { getConnection, insertConnection, putCredentials } from '../../db/connections';
import { CredentialCipher } from '../../db/credential-cipher';
import { pairOf, syncInputFor } from '../../pairs/derive';
import { PAIR } from '../../pairs/procurify-peoplesoft/config';
import { pairConfig, seedCodes } from '../../pairs/procurify-peoplesoft/demo-world';
import { DEMO_OPRID, DEMO_PASSWORD, startPeopleSoftSimulator } from '../../simulators/peoplesoft';
import { PeopleSoftSimAdmin } from '../../simulators/peoplesoft/admin-client';
import { startProcurifySimulator, type RunningProcurifySimulator } from '../../simulators/procurify';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { testMasterKey } from '../support/env';
import { testClient, uniqueTaskQueue } from '../support/temporal';
import { eventually, type WorkerProcess } from '../support/worker-process';
import { startProductWorker } from './pair-harness';

/**
 * A worker SIGKILLed while it posts requisitions: another worker takes over and every requisition ends as exactly one
 * PO (the fixed PO_ID makes the re-run Create of a PO that was written before the kill "already applied").
 */
const REQUISITIONS = 300;
let db: TestDatabase;
let client: Client;
let ps: Awaited<ReturnType<typeof startPeopleSoftSimulator>>;
let psAdmin: PeopleSoftSimAdmin;
let procurify: RunningProcurifySimulator;
let handle: WorkflowHandle | undefined;
const workers: WorkerProcess[] = [];
const taskQueue = uniqueTaskQueue('procurify-crash');
const masterKey = testMasterKey();
const connectionId = randomUUID();

beforeAll(async () => {
  db = await createTestDatabase('procurify-crash');
  client = await testClient();
  ps = await startPeopleSoftSimulator({ port: 0 });
  psAdmin = new PeopleSoftSimAdmin(ps.baseUrl);
  await psAdmin.setConfig({ slowQuery: { msPerDay: 0, maxMs: 0 } });
  await psAdmin.seed({ recordsPerObject: 0 });
  procurify = await startProcurifySimulator({ port: 0 });
  const app = await procurify.admin.registerClient();
  const world = await procurify.admin.seed({ requisitions: REQUISITIONS, itemsPerRequisition: 2, vendors: 10 });
  const cipher = new CredentialCipher(masterKey);
  await insertConnection(db.pool, { id: connectionId, customerId: 'procurify-crash', pair: PAIR, config: pairConfig(procurify.apiUrl, ps.baseUrl, seedCodes(world)) as Record<string, unknown> });
  await putCredentials(db.pool, cipher, connectionId, 'peoplesoft', { method: 'basic', oprid: DEMO_OPRID, password: DEMO_PASSWORD });
  await putCredentials(db.pool, cipher, connectionId, 'procurify', { method: 'client_credentials', clientId: app.clientId, clientSecret: app.clientSecret });
}, 180_000);

afterAll(async () => {
  await handle?.terminate('test finished').catch(() => undefined);
  for (const w of workers) await w.stop().catch(() => undefined);
  await procurify?.close();
  await ps?.close();
  await db?.drop();
});

describe('Procurify -> PeopleSoft across a worker SIGKILL', () => {
  it('ends with exactly one PO per requisition after the worker dies mid-sync', async () => {
    workers.push(await startProductWorker({ pool: db.pool, taskQueue, masterKey }));
    const connection = (await getConnection(db.pool, connectionId))!;
    handle = await client.workflow.start(pairOf(PAIR).workflowType, syncStartOptions(syncInputFor(connection), taskQueue));
    await eventually(async () => (await psAdmin.rows('purchaseOrder')).length >= 30, 180_000, 'the first POs');
    await workers[0]!.kill();
    const atKill = (await psAdmin.rows('purchaseOrder')).length;
    expect(atKill).toBeLessThan(REQUISITIONS);

    workers.push(await startProductWorker({ pool: db.pool, taskQueue, masterKey }));
    await eventually(async () => {
      const s = await handle!.query(statusQuery);
      return s.totals.polls >= 1 && s.state === 'idle' && (await psAdmin.rows('purchaseOrder')).length === REQUISITIONS;
    }, 300_000, 'every requisition posted');
    const creates = (await psAdmin.effects()).filter((e) => e.ci === 'MLC_PO_EXPRESS' && e.method === 'Create');
    expect(creates).toHaveLength(REQUISITIONS);
    expect(new Set(creates.map((e) => e.keys.PO_ID)).size).toBe(REQUISITIONS);
    const letters = await db.pool.query('SELECT record_key FROM dead_letters WHERE connection_id = $1', [connectionId]);
    expect(letters.rows).toEqual([]);
  });
});
