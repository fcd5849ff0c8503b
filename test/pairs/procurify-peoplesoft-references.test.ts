import { randomUUID } from 'node:crypto';
import { type Client, type WorkflowHandle } from '@temporalio/client';
import { ciOperation, componentInterfaces, createPeopleSoftConnector } from '../../connectors/peoplesoft';
import { createProcurifyConnector } from '../../connectors/procurify';
import { replayDeadLettersUpdate, statusQuery, updateConfigUpdate } from '../../core/sync-messages';
import { syncStartOptions } from '../../core/sync-start';
import { type SyncStatus } from '../../core/sync-types';
import { getConnection, insertConnection, putCredentials, updateConnectionConfig } from '../../db/connections';
import { CredentialCipher } from '../../db/credential-cipher';
import { flowSettingsFor, pairOf, syncInputFor } from '../../pairs/derive';
import { FLOW_REQUISITIONS, FLOW_VOUCHER_CLOSE, PAIR, type ProcurifyPeopleSoftConfigInput } from '../../pairs/procurify-peoplesoft/config';
import { pairConfig, seedCodes } from '../../pairs/procurify-peoplesoft/demo-world';
import { poIdFor } from '../../pairs/procurify-peoplesoft/map-requisition';
import { DEMO_OPRID, DEMO_PASSWORD, startPeopleSoftSimulator } from '../../simulators/peoplesoft';
import { PeopleSoftSimAdmin } from '../../simulators/peoplesoft/admin-client';
import { startProcurifySimulator, type RunningProcurifySimulator } from '../../simulators/procurify';
import type { SeedResult } from '../../simulators/procurify/seed';
import { rawOrderItemSchema } from '../../connectors/procurify/schemas';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { testMasterKey } from '../support/env';
import { testClient, uniqueTaskQueue } from '../support/temporal';
import { eventually, type WorkerProcess } from '../support/worker-process';
import { pollAndWait as pollUntilIdle, startProductWorker } from './pair-harness';

/**
 * Procurify -> PeopleSoft references on the real Temporal server and PostgreSQL: a requisition whose vendor is not in
 * PeopleSoft yet waits (shown in status with the vendor named) and is posted on that vendor once the vendor flow has
 * written it; one whose vendor never arrives is dead-lettered naming the vendor. It is never posted on another vendor.
 * And the other way round, on a connection that asks for it: a PeopleSoft voucher on a PO we posted closes the
 * Procurify POs that requisition was purchased on.
 */
let db: TestDatabase;
let client: Client;
let worker: WorkerProcess;
let ps: Awaited<ReturnType<typeof startPeopleSoftSimulator>>;
let psAdmin: PeopleSoftSimAdmin;
let procurify: RunningProcurifySimulator;
let world: SeedResult;
let handle: WorkflowHandle;
let config: ProcurifyPeopleSoftConfigInput;
let app: { clientId: string; clientSecret: string };
const connectionId = randomUUID();
const taskQueue = uniqueTaskQueue('procurify-refs');
const masterKey = testMasterKey();
/** The vendor CI's Create: inactive, PeopleSoft refuses every new vendor (an administrator's slip, fixed later). */
const VENDOR_CREATE = ciOperation(componentInterfaces.vendor, 'Create');

const status = () => handle.query(statusQuery);
const pollAndWait = (): Promise<SyncStatus> => pollUntilIdle(handle, 110_000);
const openLetters = async () =>
  (await db.pool.query<{ flow: string; record_key: string; error_code: string; error_message: string }>(`SELECT flow, record_key, error_code, error_message FROM dead_letters WHERE connection_id = $1 AND status = 'open' ORDER BY record_key`, [connectionId])).rows;

/** A vendor registered in Procurify now, and an approved requisition ordering from it. */
async function requisitionOnNewVendor(name: string): Promise<{ vendorId: number; num: number }> {
  const vendor = await procurify.admin.addVendor(name);
  const req = await procurify.admin.createRequisition({ departmentId: world.departmentIds[0]!, items: [{ name: `${name} part`, quantity: '3.000', price: '12.5000', vendorId: vendor.id, accountId: world.accountIds[0]! }] });
  return { vendorId: vendor.id, num: req.order.num };
}

beforeAll(async () => {
  db = await createTestDatabase('procurify-references');
  client = await testClient();
  ps = await startPeopleSoftSimulator({ port: 0 });
  psAdmin = new PeopleSoftSimAdmin(ps.baseUrl);
  await psAdmin.setConfig({ slowQuery: { msPerDay: 0, maxMs: 0 } });
  procurify = await startProcurifySimulator({ port: 0 });
  app = await procurify.admin.registerClient();
  world = await procurify.admin.seed({ requisitions: 3, itemsPerRequisition: 2, vendors: 2, accountCodes: 2, locations: 1, departmentsPerLocation: 1 });
  config = pairConfig(procurify.apiUrl, ps.baseUrl, seedCodes(world, 1));
  const cipher = new CredentialCipher(masterKey);
  await insertConnection(db.pool, { id: connectionId, customerId: 'procurify-refs', pair: PAIR, config: config as Record<string, unknown> });
  await putCredentials(db.pool, cipher, connectionId, 'peoplesoft', { method: 'basic', oprid: DEMO_OPRID, password: DEMO_PASSWORD });
  await putCredentials(db.pool, cipher, connectionId, 'procurify', { method: 'client_credentials', clientId: app.clientId, clientSecret: app.clientSecret });
  worker = await startProductWorker({ pool: db.pool, taskQueue, masterKey });
  const connection = (await getConnection(db.pool, connectionId))!;
  handle = await client.workflow.start(pairOf(PAIR).workflowType, syncStartOptions(syncInputFor(connection), taskQueue));
  await eventually(async () => {
    const s = await status();
    return s.totals.polls >= 1 && s.state === 'idle' && s;
  }, 110_000, 'the first sync');
}, 180_000);

afterAll(async () => {
  await handle?.terminate('test finished').catch(() => undefined);
  await worker?.stop();
  await procurify?.close();
  await ps?.close();
  await db?.drop();
});

describe('Procurify -> PeopleSoft references', () => {
  it('keeps a requisition whose vendor is not in PeopleSoft yet waiting, named in status, and posts it on that vendor once it arrives', async () => {
    expect((await psAdmin.rows('purchaseOrder')).map((r) => r.PO_ID).sort()).toEqual(world.orderNums.map(poIdFor).sort());
    await psAdmin.setOperationActive(VENDOR_CREATE, false);
    const { vendorId, num } = await requisitionOnNewVendor('Late Vendor Ltd');
    const vendorKey = `procurify-vendor:${vendorId}`;
    const waiting = await pollAndWait();

    expect(waiting.progress[FLOW_REQUISITIONS]!.waiting).toEqual({ count: 1, missingKeys: [vendorKey] });
    expect((await psAdmin.rows('purchaseOrder')).find((r) => r.PO_ID === poIdFor(num))).toBeUndefined();
    const wait = await db.pool.query<{ detail: { missingKey: string; reason: string } }>(`SELECT detail FROM audit_events WHERE connection_id = $1 AND action = 'wait' AND record_key = $2`, [connectionId, `procurify-requisition:${num}`]);
    expect(wait.rows.map((r) => r.detail)).toEqual([{ missingKey: vendorKey, reason: 'not on peoplesoft yet' }]);
    // The vendor itself sits in dead letters with PeopleSoft's answer; the requisition only waits.
    expect((await openLetters()).map((l) => [l.flow, l.record_key])).toEqual([['procurify-vendors-to-ps-vendors', vendorKey]]);

    // The administrator activates the operation; replaying the vendor brings it, the next poll posts the waiting order.
    await psAdmin.setOperationActive(VENDOR_CREATE, true);
    expect(await handle.executeUpdate(replayDeadLettersUpdate, { args: [{}] })).toMatchObject({ attempted: 1, resolved: 1, stillFailing: 0 });
    const after = await pollAndWait();
    expect(after.progress[FLOW_REQUISITIONS]!.waiting).toBeUndefined();
    const psVendor = `PRCF${String(vendorId).padStart(6, '0')}`;
    const po = (await psAdmin.rows('purchaseOrder')).find((r) => r.PO_ID === poIdFor(num));
    expect(po).toMatchObject({ VENDOR_ID: psVendor, REQ_ID: String(num) });
    const effects = await psAdmin.effects();
    const vendorAt = effects.find((e) => e.ci === 'VNDR_ID' && e.method === 'Create' && e.keys.VENDOR_ID === psVendor)!.seq;
    const poAt = effects.find((e) => e.ci === 'MLC_PO_EXPRESS' && e.keys.PO_ID === poIdFor(num))!.seq;
    expect(vendorAt).toBeLessThan(poAt);
    expect(await openLetters()).toEqual([]);
  });

  it('dead-letters a requisition whose vendor never reaches PeopleSoft once the wait runs out, naming the vendor', async () => {
    await psAdmin.setOperationActive(VENDOR_CREATE, false);
    try {
      const connection = (await getConnection(db.pool, connectionId))!;
      const flows = flowSettingsFor(pairOf(PAIR), connection.config, connection.created_at).flows.map((f) => (f.flow === FLOW_REQUISITIONS ? { ...f, waitForReferenceMs: 0 } : f));
      await handle.executeUpdate(updateConfigUpdate, { args: [{ flows }] });
      const { vendorId, num } = await requisitionOnNewVendor('Never Vendor Inc');
      await pollAndWait();
      const letter = (await openLetters()).find((l) => l.record_key === `procurify-requisition:${num}`);
      expect(letter).toMatchObject({ flow: FLOW_REQUISITIONS, error_code: 'MISSING_REFERENCE', error_message: expect.stringContaining(`missing reference procurify-vendor:${vendorId} (not on peoplesoft yet)`) });
      expect((await psAdmin.rows('purchaseOrder')).find((r) => r.PO_ID === poIdFor(num))).toBeUndefined();
    } finally {
      await psAdmin.setOperationActive(VENDOR_CREATE, true);
    }
  });

  it('closes the Procurify POs of a requisition once PeopleSoft has a voucher on its PO, only on a connection that asks for it', async () => {
    const connection = (await getConnection(db.pool, connectionId))!;
    expect(flowSettingsFor(pairOf(PAIR), connection.config, connection.created_at).flows.find((f) => f.flow === FLOW_VOUCHER_CLOSE)?.enabled).toBe(false);
    const withClose = { ...config, flows: { closeOnVoucher: true } };
    await updateConnectionConfig(db.pool, connectionId, withClose as Record<string, unknown>);
    await handle.executeUpdate(updateConfigUpdate, { args: [{ flows: flowSettingsFor(pairOf(PAIR), withClose, connection.created_at).flows }] });

    // A buyer purchased requisition 1's items on a Procurify PO; requisition 2's PO stays open (no voucher on it).
    const reader = createProcurifyConnector({ baseUrl: procurify.apiUrl, auth: { clientId: app.clientId, clientSecret: app.clientSecret } });
    const [paid, unpaid] = world.orderNums;
    const itemsOf = async (num: number) => (await reader.client.all({ operation: 'items', method: 'GET', path: '/api/v3/order-items', query: { orderNum: num } }, rawOrderItemSchema));
    const paidItems = await itemsOf(paid!);
    const paidPo = await procurify.admin.addPurchaseOrder(paidItems[0]!.pref_vendor, '100.00', paidItems.map((i) => i.id));
    const unpaidItems = await itemsOf(unpaid!);
    const openPo = await procurify.admin.addPurchaseOrder(unpaidItems[0]!.pref_vendor, '50.00', unpaidItems.map((i) => i.id));
    const psPo = (await psAdmin.rows('purchaseOrder')).find((r) => r.PO_ID === poIdFor(paid!))!;
    const peoplesoft = createPeopleSoftConnector({ baseUrl: ps.baseUrl, node: 'PSFT_EP', auth: { method: 'basic', oprid: DEMO_OPRID, password: DEMO_PASSWORD } });
    await peoplesoft.createVoucher({
      BUSINESS_UNIT: 'US001', VOUCHER_ID: 'V0000001', INVOICE_ID: 'INV-1', INVOICE_DT: new Date().toISOString().slice(0, 10), VENDOR_SETID: 'SHARE', VENDOR_ID: String(psPo.VENDOR_ID), GROSS_AMT: '100.00',
      VOUCHER_LINE: [{ VOUCHER_LINE_NUM: 1, MERCHANDISE_AMT: '100.00', BUSINESS_UNIT_PO: 'US001', PO_ID: poIdFor(paid!) }],
    });

    const states = async () => new Map((await procurify.admin.purchaseOrders()).map((p) => [p.id, p]));
    await eventually(async () => {
      await pollAndWait();
      return typeof (await states()).get(paidPo.id)?.closed_date === 'string';
    }, 100_000, 'the paid PO closed in Procurify');
    expect((await states()).get(openPo.id)).toMatchObject({ state: openPo.state, closed_date: null });
    const audit = await db.pool.query<{ record_key: string; target_id: string }>(`SELECT record_key, target_id FROM audit_events WHERE connection_id = $1 AND flow = $2 AND action = 'create'`, [connectionId, FLOW_VOUCHER_CLOSE]);
    expect(audit.rows).toEqual([{ record_key: 'voucher:US001/V0000001', target_id: `procurify-purchase-orders:${paidPo.id}` }]);
  });
});
