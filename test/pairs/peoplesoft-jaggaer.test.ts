import { randomUUID } from 'node:crypto';
import { type Client, type WorkflowHandle } from '@temporalio/client';
import { pairOf, syncInputFor } from '../../pairs/derive';
import { FLOW_INVOICES, PAIR } from '../../pairs/peoplesoft-jaggaer/config';
import { pairConfig } from '../../pairs/peoplesoft-jaggaer/demo-world';
import { replayDeadLettersUpdate, statusQuery } from '../../core/sync-messages';
import { syncStartOptions } from '../../core/sync-start';
import { type SyncStatus } from '../../core/sync-types';
import { getConnection, insertConnection, putCredentials } from '../../db/connections';
import { CredentialCipher } from '../../db/credential-cipher';
import { listDeadLetters } from '../../db/dead-letters';
import { startJaggaerSimulator, type RunningJaggaerSimulator } from '../../simulators/jaggaer';
import { getAt } from '../../simulators/jaggaer/resources';
import { createPeopleSoftConnector } from '../../connectors/peoplesoft';
import { DEMO_OPRID, DEMO_PASSWORD, startPeopleSoftSimulator } from '../../simulators/peoplesoft';
import { PeopleSoftSimAdmin } from '../../simulators/peoplesoft/admin-client';
import { type Row } from '../../simulators/peoplesoft/tables';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { testMasterKey } from '../support/env';
import { testClient, uniqueTaskQueue } from '../support/temporal';
import { eventually, type WorkerProcess } from '../support/worker-process';
import { startProductWorker } from './pair-harness';

/**
 * PeopleSoft <-> JAGGAER end to end on the real Temporal server, PostgreSQL, the product worker process and both
 * simulators: requisitions out, approved POs and invoices back, suppliers both ways, exactly once; a JAGGAER
 * returnCode error under HTTP 200 and a PeopleSoft refusal dead-lettered with the raw answer; replay after the fix.
 */
const REQUISITIONS = 500;
const PURCHASE_ORDERS = 300;
const INVOICES = 400;
const JAGGAER_SUPPLIERS = 20;
const PS_VENDORS = 10;

describe('PeopleSoft <-> JAGGAER on real Temporal, PostgreSQL and both simulators', () => {
  let db: TestDatabase;
  let client: Client;
  let ps: Awaited<ReturnType<typeof startPeopleSoftSimulator>>;
  let psAdmin: PeopleSoftSimAdmin;
  let jaggaer: RunningJaggaerSimulator;
  let worker: WorkerProcess;
  let handle: WorkflowHandle;
  let badRequisitionKey: string;
  const connectionId = randomUUID();
  const taskQueue = uniqueTaskQueue('pair-jaggaer');
  const masterKey = testMasterKey();

  const status = (): Promise<SyncStatus> => handle.query(statusQuery);
  async function pollAndWait(): Promise<{ status: SyncStatus; seconds: number }> {
    const began = Date.now();
    const before = (await status()).totals.polls;
    await handle.signal('pollNow');
    const s = await eventually(async () => {
      const now = await status();
      return now.totals.polls > before && now.state === 'idle' && now;
    }, 240_000, 'a finished poll');
    return { status: s, seconds: (Date.now() - began) / 1000 };
  }
  const jaggaerRecords = (resource: 'requisitions' | 'purchaseOrders' | 'invoices' | 'suppliers') => jaggaer.admin.records(resource);
  const psRows = (table: 'purchaseOrder' | 'voucher' | 'vendor' | 'requisition'): Promise<Row[]> => psAdmin.rows(table);
  const openDeadLetters = () => listDeadLetters(db.pool, { connectionId }).then((l) => l.filter((d) => d.status === 'open'));

  beforeAll(async () => {
    db = await createTestDatabase('pair-ps-jaggaer');
    client = await testClient();
    ps = await startPeopleSoftSimulator({ port: 0 });
    psAdmin = new PeopleSoftSimAdmin(ps.baseUrl);
    await psAdmin.setConfig({ slowQuery: { msPerDay: 0, maxMs: 0 } });
    await psAdmin.seed({ recordsPerObject: 0, counts: { requisition: REQUISITIONS + 1, vendor: PS_VENDORS } });
    // One requisition JAGGAER will refuse (a negative price), answered under HTTP 200 with a non-zero returnCode.
    const bad = (await psRows('requisition'))[0]!;
    await psAdmin.updateRow('requisition', { BUSINESS_UNIT: String(bad.BUSINESS_UNIT), REQ_ID: String(bad.REQ_ID) }, { MERCHANDISE_AMT: -5 });
    badRequisitionKey = `requisition:${String(bad.BUSINESS_UNIT)}/${String(bad.REQ_ID)}`;
    jaggaer = await startJaggaerSimulator({ port: 0 });
    await jaggaer.admin.seed({ suppliers: JAGGAER_SUPPLIERS });

    await insertConnection(db.pool, { id: connectionId, customerId: 'jaggaer-e2e', pair: PAIR, config: pairConfig(ps.baseUrl, jaggaer.instanceUrl) as Record<string, unknown> });
    const cipher = new CredentialCipher(masterKey);
    await putCredentials(db.pool, cipher, connectionId, 'peoplesoft', { method: 'basic', oprid: DEMO_OPRID, password: DEMO_PASSWORD });
    await putCredentials(db.pool, cipher, connectionId, 'jaggaer', { method: 'client_credentials', ...jaggaer.client });
    worker = await startProductWorker({ pool: db.pool, taskQueue, masterKey });
  }, 180_000);
  afterAll(async () => {
    await handle?.terminate('test finished').catch(() => undefined);
    await worker?.stop();
    await jaggaer?.close();
    await ps?.close();
    await client?.connection.close();
    await db?.drop();
  });

  it(`sends ${REQUISITIONS} requisitions to JAGGAER exactly once and aligns suppliers both ways, without echo`, async () => {
    const began = Date.now();
    const connection = (await getConnection(db.pool, connectionId))!;
    handle = await client.workflow.start(pairOf(PAIR).workflowType, syncStartOptions(syncInputFor(connection), taskQueue));
    await eventually(async () => (await status()).totals.polls >= 1 && (await status()).state === 'idle', 240_000, 'first poll');
    const seconds = (Date.now() - began) / 1000;
    const written = REQUISITIONS + PS_VENDORS + JAGGAER_SUPPLIERS;
    process.stdout.write(`[measure] first poll: ${written} records (requisitions + suppliers both ways) in ${seconds.toFixed(1)} s = ${(written / seconds).toFixed(0)} records/s\n`);

    const reqs = await jaggaerRecords('requisitions');
    const refs = reqs.map((r) => String(getAt(r, 'header.externalReference')));
    expect(reqs).toHaveLength(REQUISITIONS);
    expect(new Set(refs).size).toBe(REQUISITIONS);
    expect(refs).not.toContain(badRequisitionKey);

    // The refused requisition: dead-lettered with JAGGAER's own answer (HTTP 200, returnCode 2), never linked as done.
    const [refused] = (await openDeadLetters()).filter((d) => d.record_key === badRequisitionKey);
    expect(refused).toMatchObject({ error_code: 'JAGGAER_RETURN_CODE_2', partner_status: 200 });
    expect(JSON.parse(refused!.raw_response!)).toMatchObject({ returnCode: 2, returnMessage: 'Validation failed: line 1 unitPrice.value must be a number of at least 0' });

    const suppliers = await jaggaerRecords('suppliers');
    expect(suppliers).toHaveLength(JAGGAER_SUPPLIERS + PS_VENDORS);
    const vendors = await psRows('vendor');
    expect(vendors).toHaveLength(PS_VENDORS + JAGGAER_SUPPLIERS);
    expect(new Set(vendors.map((v) => v.VENDOR_ID))).toEqual(new Set(suppliers.map((s) => getAt(s, 'companyInfo.extCode'))));

    // Two more polls find our own writes on both sides and create nothing (no duplicate), and the values that went
    // round trip come back unchanged (no echo alters data).
    const vendorsBefore = new Map(vendors.map((v) => [v.VENDOR_ID, [v.NAME1, v.VENDOR_STATUS, v.VENDOR_CLASS]]));
    await pollAndWait();
    await pollAndWait();
    expect(await jaggaerRecords('requisitions')).toHaveLength(REQUISITIONS);
    expect(await jaggaerRecords('suppliers')).toHaveLength(JAGGAER_SUPPLIERS + PS_VENDORS);
    const vendorsAfter = await psRows('vendor');
    expect(new Map(vendorsAfter.map((v) => [v.VENDOR_ID, [v.NAME1, v.VENDOR_STATUS, v.VENDOR_CLASS]]))).toEqual(vendorsBefore);
    expect((await openDeadLetters()).map((d) => d.record_key)).toEqual([badRequisitionKey]);
  });

  it(`records ${PURCHASE_ORDERS} approved POs and ${INVOICES} invoices in PeopleSoft exactly once, through a token that dies mid-sync`, async () => {
    const reqs = await jaggaerRecords('requisitions');
    const supplierNumbers = (await jaggaerRecords('suppliers')).map((s) => String(getAt(s, 'companyInfo.extCode')));
    const poNumbers: string[] = [];
    for (let i = 0; i < PURCHASE_ORDERS; i++) {
      const req = reqs[i]!;
      const po = await jaggaer.admin.addPurchaseOrder({ supplierNumber: supplierNumbers[i % supplierNumbers.length]!, requisitionNumber: String(getAt(req, 'header.requisitionNumber')), lines: [{ description: `Part ${i}`, quantity: 2, unitPrice: 10.25 }] });
      poNumbers.push(String(getAt(po, 'header.purchaseOrderNumber')));
    }
    for (let i = 0; i < INVOICES; i++) {
      const poInvoice = i % 4 !== 3;
      await jaggaer.admin.addInvoice({ supplierNumber: supplierNumbers[i % supplierNumbers.length]!, purchaseOrderNumber: poInvoice ? poNumbers[i % PURCHASE_ORDERS] : undefined, total: 20.5 + i });
    }
    // The rejection to replay later: an invoice on a PO still pending approval, which PeopleSoft does not have.
    const pending = await jaggaer.admin.addPurchaseOrder({ supplierNumber: supplierNumbers[0]!, status: 'Pending Approval' });
    const pendingNumber = String(getAt(pending, 'header.purchaseOrderNumber'));
    const held = await jaggaer.admin.addInvoice({ supplierNumber: supplierNumbers[0]!, purchaseOrderNumber: pendingNumber, total: 99.99 });
    const heldKey = `jaggaer-invoice:${String(getAt(held, 'header.invoiceId'))}`;

    // Short-lived tokens, and every token the worker holds revoked once the poll is under way.
    await jaggaer.admin.setSettings({ token: { accessTokenLifetimeSeconds: 5 } });
    const issuedBefore = (await jaggaer.admin.tokenStats()).issued;
    const seqBefore = (await jaggaer.admin.requests()).at(-1)?.seq ?? 0;
    const revoke = setTimeout(() => void jaggaer.admin.expireTokens(), 300);
    const { seconds } = await pollAndWait();
    clearTimeout(revoke);
    const written = PURCHASE_ORDERS + INVOICES;
    process.stdout.write(`[measure] ${PURCHASE_ORDERS} POs + ${INVOICES} invoices -> PeopleSoft in ${seconds.toFixed(1)} s = ${(written / seconds).toFixed(0)} records/s\n`);

    const psPos = (await psRows('purchaseOrder')).filter((p) => String(p.PO_ID).startsWith('PO'));
    expect(psPos).toHaveLength(PURCHASE_ORDERS);
    expect(new Set(psPos.map((p) => p.PO_ID))).toEqual(new Set(poNumbers));
    const psReqIds = new Map((await psRows('requisition')).map((r) => [`requisition:${String(r.BUSINESS_UNIT)}/${String(r.REQ_ID)}`, String(r.REQ_ID)]));
    const first = psPos.find((p) => p.PO_ID === poNumbers[0])!;
    expect(first.REQ_ID).toBe(psReqIds.get(String(getAt(reqs[0], 'header.externalReference'))));
    expect(psPos.every((p) => typeof p.REQ_ID === 'string' && p.REQ_ID !== '')).toBe(true);

    const vouchers = (await psRows('voucher')).filter((v) => String(v.VOUCHER_ID).startsWith('J'));
    expect(vouchers).toHaveLength(INVOICES);
    const matched = vouchers.filter((v) => Array.isArray(v.VOUCHER_LINE) && (v.VOUCHER_LINE as Row[])[0]?.PO_ID !== undefined);
    expect(matched).toHaveLength(INVOICES - INVOICES / 4);

    // The token died mid-sync: JAGGAER answered 401 at least once, and every 401 was followed by success.
    const calls = (await jaggaer.admin.requests(seqBefore)).map((r) => r.status);
    expect(calls).toContain(401);
    expect(calls.filter((c) => c !== 200 && c !== 401)).toEqual([]);
    expect((await jaggaer.admin.tokenStats()).issued).toBeGreaterThan(issuedBefore);
    expect(Object.values((await status()).progress).filter((f) => f.lastError)).toEqual([]);

    // PeopleSoft refused the held invoice's voucher: raw body kept, with its plain-language reading.
    const [letter] = (await openDeadLetters()).filter((d) => d.record_key === heldKey);
    expect(letter).toMatchObject({ flow: FLOW_INVOICES, error_code: 'PS_15_11' });
    expect(letter!.raw_response).toContain('Invalid value -- press the prompt button or hyperlink for a list of valid values (15,11)');
    expect(letter!.raw_response).toContain(`PO_ID=${pendingNumber}`);
    expect(letter!.error_message).toContain('What it means: PeopleSoft refused a value that is not in its list of valid values');

    // The fix, made in PeopleSoft: a buyer keys the PO in by hand. The replayed voucher then goes through.
    await jaggaer.admin.setSettings({ token: { accessTokenLifetimeSeconds: 300 } });
    const peoplesoft = createPeopleSoftConnector({ baseUrl: ps.baseUrl, node: 'PSFT_EP', auth: { method: 'basic', oprid: DEMO_OPRID, password: DEMO_PASSWORD } });
    const vendorId = String(getAt(pending, 'header.supplier.supplierNumber'));
    await peoplesoft.createPurchaseOrder({ BUSINESS_UNIT: 'US001', PO_ID: pendingNumber, PO_DT: '2026-11-30', VENDOR_SETID: 'SHARE', VENDOR_ID: vendorId, PO_LINE: [{ LINE_NBR: 1, QTY_PO: '1', PRICE_PO: '99.99' }] });
    const summary = await handle.executeUpdate(replayDeadLettersUpdate, { args: [{ flow: FLOW_INVOICES, recordKeys: [heldKey] }] });
    expect(summary).toMatchObject({ attempted: 1, resolved: 1, stillFailing: 0 });
    const replayed = (await psRows('voucher')).filter((v) => v.VOUCHER_ID === `J${String(getAt(held, 'header.invoiceId'))}`);
    expect(replayed).toHaveLength(1);
    expect((replayed[0]!.VOUCHER_LINE as Row[])[0]).toMatchObject({ PO_ID: pendingNumber });
    expect((await psRows('voucher')).filter((v) => String(v.VOUCHER_ID).startsWith('J'))).toHaveLength(INVOICES + 1);
    expect((await openDeadLetters()).map((d) => d.record_key)).toEqual([badRequisitionKey]);
  });

  it('writes each voucher exactly once across a worker SIGKILL mid-sync', async () => {
    const more = 200;
    const supplierNumbers = (await jaggaerRecords('suppliers')).map((s) => String(getAt(s, 'companyInfo.extCode')));
    const ids: string[] = [];
    for (let i = 0; i < more; i++) ids.push(String(getAt(await jaggaer.admin.addInvoice({ supplierNumber: supplierNumbers[i % supplierNumbers.length]!, total: 5 + i }), 'header.invoiceId')));
    const jVouchers = async () => (await psRows('voucher')).filter((v) => String(v.VOUCHER_ID).startsWith('J'));
    const before = (await jVouchers()).length;
    const polls = (await status()).totals.polls;
    await handle.signal('pollNow');
    await eventually(async () => (await jVouchers()).length >= before + 20, 120_000, 'the poll writing vouchers');
    await worker.kill();
    worker = await startProductWorker({ pool: db.pool, taskQueue, masterKey });
    await eventually(async () => {
      const s = await status();
      return s.totals.polls > polls && s.state === 'idle' && (await jVouchers()).length === before + more;
    }, 180_000, 'all vouchers after the kill');
    const vouchers = await jVouchers();
    expect(new Set(vouchers.map((v) => v.VOUCHER_ID)).size).toBe(vouchers.length);
    expect(vouchers.map((v) => v.VOUCHER_ID)).toEqual(expect.arrayContaining(ids.map((id) => `J${id}`)));
    expect((await openDeadLetters()).map((d) => d.record_key)).toEqual([badRequisitionKey]);
  });
});
