import { randomUUID } from 'node:crypto';
import { type Client, type WorkflowHandle } from '@temporalio/client';
import { pairOf, syncInputFor } from '../../pairs/derive';
import { FLOW_PURCHASE_ORDERS, PAIR } from '../../pairs/peoplesoft-jaggaer/config';
import { canonicalDecimal, compareDecimals, multiplyDecimals, requireDecimal, sumDecimals } from '../../core/decimal';
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
import { pollAndWait as pollUntilIdle, startProductWorker } from './pair-harness';

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
    const s = await pollUntilIdle(handle, 240_000);
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

  it(`records ${PURCHASE_ORDERS} approved POs and ${INVOICES} invoices in PeopleSoft exactly once, to the cent, through a token that dies mid-sync`, async () => {
    const reqs = await jaggaerRecords('requisitions');
    const supplierNumbers = (await jaggaerRecords('suppliers')).map((s) => String(getAt(s, 'companyInfo.extCode')));
    const poNumbers: string[] = [];
    const pos: Record<string, unknown>[] = [];
    // Prices and totals with cents a float sum would not keep (x.07, 1234567.89 + n, ...), sent as JSON numbers.
    const line = (i: number) => ({ description: `Part ${i}`, quantity: 1 + (i % 3), unitPrice: (1000 + i * 37) / 100 });
    for (let i = 0; i < PURCHASE_ORDERS; i++) {
      const po = await jaggaer.admin.addPurchaseOrder({ supplierNumber: supplierNumbers[i % supplierNumbers.length]!, requisitionNumber: String(getAt(reqs[i], 'header.requisitionNumber')), lines: [line(i)] });
      pos.push(po);
      poNumbers.push(String(getAt(po, 'header.purchaseOrderNumber')));
    }
    for (let i = 0; i < INVOICES; i++) {
      const poInvoice = i % 4 !== 3;
      const total = i % 5 === 0 ? (123_456_789 + i) / 100 : ((i * 7919) % 100_000 + 7) / 100;
      await jaggaer.admin.addInvoice({ supplierNumber: supplierNumbers[i % supplierNumbers.length]!, purchaseOrderNumber: poInvoice ? poNumbers[i % PURCHASE_ORDERS] : undefined, total });
    }
    // The rejection to replay later: a buyer already keyed PO 7 into PeopleSoft by hand, with a typo in the price.
    const typo = pos[7]!;
    const typoKey = `jaggaer-po:${String(getAt(typo, 'header.purchaseOrderId'))}`;
    const typoKeys = { BUSINESS_UNIT: 'US001', PO_ID: poNumbers[7]! };
    const typoReqId = String(getAt(reqs[7], 'header.externalReference')).split('/')[1]!;
    const typoLine = { LINE_NBR: 1, DESCR254: 'Part 7', QTY_PO: String(line(7).quantity), PRICE_PO: '12.95' };
    const peoplesoft = createPeopleSoftConnector({ baseUrl: ps.baseUrl, node: 'PSFT_EP', auth: { method: 'basic', oprid: DEMO_OPRID, password: DEMO_PASSWORD } });
    const handKeyed = { ...typoKeys, PO_DT: String(getAt(typo, 'header.orderDate')).slice(0, 10), VENDOR_SETID: 'SHARE', VENDOR_ID: supplierNumbers[7 % supplierNumbers.length]!, REQ_ID: typoReqId, TXN_CURRENCY_CD: 'USD' };
    await peoplesoft.createPurchaseOrder({ ...handKeyed, PO_LINE: [typoLine] });

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

    // Money to the cent, as decimals: every voucher is its invoice's total, so the sums agree exactly; every PO line
    // is JAGGAER's quantity x price (PO 7 aside: PeopleSoft kept the buyer's typo, dead-lettered below).
    const invoices = await jaggaerRecords('invoices');
    const totals = invoices.map((inv) => requireDecimal(getAt(inv, 'header.total.value'), 'invoice total'));
    const grossAmounts = vouchers.map((v) => requireDecimal(v.GROSS_AMT, 'GROSS_AMT'));
    expect(compareDecimals(sumDecimals(grossAmounts), sumDecimals(totals))).toBe(0);
    const byVoucher = new Map(vouchers.map((v) => [String(v.VOUCHER_ID), canonicalDecimal(requireDecimal(v.GROSS_AMT, 'GROSS_AMT'))]));
    expect(invoices.filter((inv) => byVoucher.get(`J${String(getAt(inv, 'header.invoiceId'))}`) !== canonicalDecimal(requireDecimal(getAt(inv, 'header.total.value'), 'total')))).toEqual([]);
    const lineValue = (l: Row) => multiplyDecimals(requireDecimal(l.QTY_PO, 'QTY_PO'), requireDecimal(l.PRICE_PO, 'PRICE_PO'));
    const psLines = psPos.filter((p) => p.PO_ID !== poNumbers[7]).flatMap((p) => (p.PO_LINE as Row[]).map(lineValue));
    const jaggaerLines = pos.filter((_, i) => i !== 7).map((po) => requireDecimal(getAt(po, 'header.total.value'), 'PO total'));
    expect(compareDecimals(sumDecimals(psLines), sumDecimals(jaggaerLines))).toBe(0);

    // The token died mid-sync: JAGGAER answered 401 at least once, and every 401 was followed by success.
    const calls = (await jaggaer.admin.requests(seqBefore)).map((r) => r.status);
    expect(calls).toContain(401);
    expect(calls.filter((c) => c !== 200 && c !== 401)).toEqual([]);
    expect((await jaggaer.admin.tokenStats()).issued).toBeGreaterThan(issuedBefore);
    expect(Object.values((await status()).progress).filter((f) => f.lastError)).toEqual([]);

    // PeopleSoft refused PO 7 (its key is taken by different data): raw body kept, with its plain-language reading.
    const [letter] = (await openDeadLetters()).filter((d) => d.record_key === typoKey);
    expect(letter).toMatchObject({ flow: FLOW_PURCHASE_ORDERS, error_code: 'PS_DUPLICATE_CONFLICT' });
    expect(letter!.raw_response).toContain('Row already exists with the specified keys. {MLC_PO_EXPRESS} (91,49)');
    expect(letter!.error_message).toContain(`What it means: A MLC_PO_EXPRESS record with keys US001/${poNumbers[7]!} already exists in PeopleSoft with different values`);

    // The fix, made in PeopleSoft: the buyer corrects the price. The replayed PO is then found already applied.
    await jaggaer.admin.setSettings({ token: { accessTokenLifetimeSeconds: 300 } });
    await psAdmin.updateRow('purchaseOrder', typoKeys, { PO_LINE: [{ ...typoLine, PRICE_PO: String(line(7).unitPrice) }] });
    const summary = await handle.executeUpdate(replayDeadLettersUpdate, { args: [{ flow: FLOW_PURCHASE_ORDERS, recordKeys: [typoKey] }] });
    expect(summary).toMatchObject({ attempted: 1, resolved: 1, stillFailing: 0 });
    expect((await psRows('purchaseOrder')).filter((p) => p.PO_ID === poNumbers[7])).toHaveLength(1);
    expect((await openDeadLetters()).map((d) => d.record_key)).toEqual([badRequisitionKey]);
  });

  it(`writes ${INVOICES} more invoices as vouchers exactly once across a worker SIGKILL mid-sync`, async () => {
    const more = INVOICES;
    const supplierNumbers = (await jaggaerRecords('suppliers')).map((s) => String(getAt(s, 'companyInfo.extCode')));
    const ids: string[] = [];
    for (let i = 0; i < more; i++) ids.push(String(getAt(await jaggaer.admin.addInvoice({ supplierNumber: supplierNumbers[i % supplierNumbers.length]!, total: 5 + i }), 'header.invoiceId')));
    const jVouchers = async () => (await psRows('voucher')).filter((v) => String(v.VOUCHER_ID).startsWith('J'));
    const before = (await jVouchers()).length;
    const polls = (await status()).totals.polls;
    await handle.signal('pollNow');
    await eventually(async () => (await jVouchers()).length >= before + 20, 120_000, 'the poll writing vouchers');
    await worker.kill();
    // Killed mid-sync: some vouchers written, not all.
    expect((await jVouchers()).length).toBeLessThan(before + more);
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
