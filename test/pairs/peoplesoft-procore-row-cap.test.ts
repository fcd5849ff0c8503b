import { randomUUID } from 'node:crypto';
import { type Client, type WorkflowHandle } from '@temporalio/client';
import { statusQuery } from '../../core/sync-messages';
import { syncStartOptions } from '../../core/sync-start';
import { getConnection, insertConnection, putCredentials } from '../../db/connections';
import { CredentialCipher } from '../../db/credential-cipher';
import { listDeadLetters } from '../../db/dead-letters';
import { pairOf, syncInputFor } from '../../pairs/derive';
import { FLOW_VENDORS, PAIR } from '../../pairs/peoplesoft-procore/config';
import { newWebhookAuthorization, pairConfig } from '../../pairs/peoplesoft-procore/demo-world';
import { DEMO_OPRID, DEMO_PASSWORD, startPeopleSoftSimulator } from '../../simulators/peoplesoft';
import { PeopleSoftSimAdmin } from '../../simulators/peoplesoft/admin-client';
import { startProcoreSimulator, type RunningProcoreSimulator } from '../../simulators/procore';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { testMasterKey } from '../support/env';
import { testClient, uniqueTaskQueue } from '../support/temporal';
import { eventually, type WorkerProcess } from '../support/worker-process';
import { startProductWorker } from './pair-harness';

/**
 * The Procore demo's gap, end to end on real Temporal, PostgreSQL, the product worker and both simulators: the
 * connection declares rowCap 5,000, the PeopleSoft gateway really stops at 500 (no flag, no total), and one poll
 * window holds 601 changed vendors. Before, the window's 500 rows were taken as complete and 101 vendors were never
 * read; now every one of them reaches Procore in the first poll.
 */
const DAY = 86_400_000;
const VENDORS = 601;

describe('PeopleSoft gateway capping below the declared rowCap (Procore pair)', () => {
  let db: TestDatabase;
  let client: Client;
  let ps: Awaited<ReturnType<typeof startPeopleSoftSimulator>>;
  let psAdmin: PeopleSoftSimAdmin;
  let procore: RunningProcoreSimulator;
  let worker: WorkerProcess | undefined;
  let handle: WorkflowHandle | undefined;
  const connectionId = randomUUID();
  const taskQueue = uniqueTaskQueue('pair-row-cap');
  const masterKey = testMasterKey();

  beforeAll(async () => {
    db = await createTestDatabase('pair-row-cap');
    client = await testClient();
    ps = await startPeopleSoftSimulator({ port: 0 });
    psAdmin = new PeopleSoftSimAdmin(ps.baseUrl);
    await psAdmin.setConfig({ rowCap: 500, slowQuery: { msPerDay: 0, maxMs: 0 } });
    const now = Date.parse(await psAdmin.now());
    // All 601 in two days: one window of the sync (maxWindowMs 365 days) holds more than the gateway returns.
    await psAdmin.seed({ recordsPerObject: 0, counts: { vendor: VENDORS }, from: new Date(now - 3 * DAY).toISOString(), to: new Date(now - DAY).toISOString() });
    procore = await startProcoreSimulator({ port: 0 });
    const { projectIds } = await procore.admin.seed({ projects: 1, directCosts: 0, changeOrders: 0 });
    const config = pairConfig(ps.baseUrl, procore.apiUrl, procore.companyId, projectIds);
    await insertConnection(db.pool, { id: connectionId, customerId: 'row-cap', pair: PAIR, config: { ...config, peoplesoft: { ...config.peoplesoft, rowCap: 5_000 } } as Record<string, unknown> });
    const cipher = new CredentialCipher(masterKey);
    await putCredentials(db.pool, cipher, connectionId, 'peoplesoft', { method: 'basic', oprid: DEMO_OPRID, password: DEMO_PASSWORD });
    await putCredentials(db.pool, cipher, connectionId, 'procore', { method: 'client_credentials', ...procore.client });
    await putCredentials(db.pool, cipher, connectionId, 'procoreWebhook', { authorization: newWebhookAuthorization() });
    worker = await startProductWorker({ pool: db.pool, taskQueue, masterKey });
  }, 180_000);
  afterAll(async () => {
    await handle?.terminate('test finished').catch(() => undefined);
    await worker?.stop().catch(() => undefined);
    await procore?.close();
    await ps?.close();
    await client?.connection.close();
    await db?.drop();
  });

  it(`syncs all ${VENDORS} vendors of one window although the gateway answers at most 500 rows and the connection declared 5,000`, async () => {
    const connection = (await getConnection(db.pool, connectionId))!;
    handle = await client.workflow.start(pairOf(PAIR).workflowType, syncStartOptions(syncInputFor(connection), taskQueue));
    const status = await eventually(async () => {
      const s = await handle!.query(statusQuery);
      return s.totals.polls >= 1 && s.state === 'idle' && s;
    }, 180_000, 'the first poll');

    const seeded = (await psAdmin.rows('vendor')).map((v) => `vendor:${String(v.SETID)}/${String(v.VENDOR_ID)}`);
    expect(seeded).toHaveLength(VENDORS);
    const vendors = await procore.admin.records('vendors');
    expect(vendors.map((v) => String(v.origin_id)).sort()).toEqual([...seeded].sort());
    expect(await listDeadLetters(db.pool, { connectionId })).toEqual([]);
    expect(status.progress[FLOW_VENDORS]).toMatchObject({ failed: 0 });
    expect(status.progress[FLOW_VENDORS]?.lastError).toBeUndefined();
    expect(status.progress[FLOW_VENDORS]?.synced).toBeGreaterThanOrEqual(VENDORS);
    // The gateway never answered more than 500 rows: the window was read in pieces (and its first answer checked).
    expect((await psAdmin.requests()).MLC_VENDOR_SYNC_GET).toBeGreaterThanOrEqual(4);
  });
});
