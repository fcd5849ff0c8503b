import { getConnection } from '../../db/connections';
import { psVendorsFlow } from '../../pairs/peoplesoft-jaggaer/supplier-flows';
import { FLOW_INVOICES, FLOW_PURCHASE_ORDERS, FLOW_REQUISITIONS } from '../../pairs/peoplesoft-jaggaer/config';
import { replayDeadLettersUpdate } from '../../core/sync-messages';
import { getAt } from '../../simulators/jaggaer/resources';
import { type Row } from '../../simulators/peoplesoft/tables';
import { JaggaerPairScenario } from './jaggaer-scenario';

/**
 * PeopleSoft <-> JAGGAER after the first sync: edits on either side, documents that arrive before what they
 * reference, documents changed after they were recorded, and a JAGGAER that answers 429s and a returnCode error
 * under HTTP 200 on its lists. Real Temporal, PostgreSQL, product worker process, both simulators.
 */
describe('PeopleSoft <-> JAGGAER changes after the first sync', () => {
  const s = new JaggaerPairScenario();
  const psWrites = async (ci: string) => Object.entries(await s.psAdmin.requests()).filter(([op]) => op.startsWith(`CI_${ci}_`) && !op.endsWith('_G')).reduce((n, [, c]) => n + c, 0);
  const supplierPosts = async (sinceSeq: number) => (await s.jaggaer.admin.requests(sinceSeq)).filter((r) => r.method === 'POST' && r.path.endsWith('/companyprofiles')).length;
  const lastSeq = async () => (await s.jaggaer.admin.requests()).at(-1)?.seq ?? 0;
  const supplierNumbers = async () => (await s.jaggaerRecords('suppliers')).map((r) => String(getAt(r, 'companyInfo.extCode')));

  beforeAll(async () => {
    await s.setUp('pair-ps-jaggaer-changes', { psCounts: { requisition: 4, vendor: 3 }, jaggaerSuppliers: 3 });
    await s.startSync();
  }, 240_000);
  afterAll(() => s.tearDown());

  it('carries a supplier edited on either side to the other once, and the write does not come back', async () => {
    const psOrigin = (await s.psRows('vendor')).find((v) => !String(v.VENDOR_ID).startsWith('JG'))!;
    const seq = await lastSeq();
    const vendorWrites = await psWrites('VNDR_ID');
    await s.psAdmin.updateRow('vendor', { SETID: String(psOrigin.SETID), VENDOR_ID: String(psOrigin.VENDOR_ID) }, { NAME1: 'Renamed in PeopleSoft' });
    await s.poll();
    await s.poll();
    const suppliers = await s.jaggaerRecords('suppliers');
    expect(suppliers.find((r) => getAt(r, 'companyInfo.extCode') === psOrigin.VENDOR_ID)).toMatchObject({ companyInfo: { companyName: 'Renamed in PeopleSoft' } });
    expect(await supplierPosts(seq)).toBe(1);
    expect(await psWrites('VNDR_ID')).toBe(vendorWrites);

    const jaggaerOrigin = suppliers.find((r) => String(getAt(r, 'companyInfo.extCode')).startsWith('JG'))!;
    const seq2 = await lastSeq();
    await s.jaggaer.admin.patchRecord('suppliers', String(getAt(jaggaerOrigin, 'companyInfo.bravoId')), { 'companyInfo.companyName': 'Renamed in JAGGAER', 'companyInfo.status': 'INACTIVE' });
    await s.poll();
    await s.poll();
    const vendor = (await s.psRows('vendor')).find((v) => v.VENDOR_ID === getAt(jaggaerOrigin, 'companyInfo.extCode'));
    expect(vendor).toMatchObject({ NAME1: 'Renamed in JAGGAER', VENDOR_STATUS: 'I' });
    expect(await psWrites('VNDR_ID')).toBeGreaterThan(vendorWrites);
    const afterBack = await psWrites('VNDR_ID');
    expect(await supplierPosts(seq2)).toBe(0);
    await s.poll();
    expect(await psWrites('VNDR_ID')).toBe(afterBack);
    expect(await s.jaggaerRecords('suppliers')).toHaveLength(suppliers.length);
    expect(await s.openDeadLetters()).toEqual([]);
  });

  it('settles a supplier edited on both sides since the last sync by the flows\' rule (PeopleSoft wins), audited', async () => {
    const supplier = (await s.jaggaerRecords('suppliers')).filter((r) => String(getAt(r, 'companyInfo.extCode')).startsWith('JG'))[1]!;
    const vendorId = String(getAt(supplier, 'companyInfo.extCode'));
    await s.psAdmin.updateRow('vendor', { SETID: 'SHARE', VENDOR_ID: vendorId }, { NAME1: 'Name chosen in PeopleSoft' });
    await s.jaggaer.admin.patchRecord('suppliers', String(getAt(supplier, 'companyInfo.bravoId')), { 'companyInfo.companyName': 'Name chosen in JAGGAER' });
    await s.poll();
    await s.poll();
    const after = (await s.jaggaerRecords('suppliers')).find((r) => getAt(r, 'companyInfo.extCode') === vendorId);
    expect(getAt(after, 'companyInfo.companyName')).toBe('Name chosen in PeopleSoft');
    expect((await s.psRows('vendor')).find((v) => v.VENDOR_ID === vendorId)).toMatchObject({ NAME1: 'Name chosen in PeopleSoft' });
    const conflicts = await s.db.pool.query<{ detail: { winner: string; differing: string[] } }>(`SELECT detail FROM audit_events WHERE connection_id = $1 AND action = 'conflict'`, [s.connectionId]);
    expect(conflicts.rows.map((r) => r.detail)).toEqual([expect.objectContaining({ winner: 'peoplesoft', differing: ['name'] })]);

    // The PeopleSoft side of a supplier as the way back reads it for such a check (CI VNDR_ID Get), in the same
    // neutral form as the vendor read from the REST inquiry.
    const runtime = await psVendorsFlow({ connection: (await getConnection(s.db.pool, s.connectionId))!, credentials: s.credentials });
    const current = await runtime.fetchOne!(`vendor:SHARE/${vendorId}`);
    expect(current).toMatchObject({ key: `vendor:SHARE/${vendorId}`, data: { VENDOR_ID: vendorId, NAME1: 'Name chosen in PeopleSoft' } });
    const row = (await s.psRows('vendor')).find((v) => v.VENDOR_ID === vendorId)!;
    expect(runtime.both!.canonical(current!)).toEqual(runtime.both!.canonical({ key: current!.key, updatedAt: String(row.LASTUPDDTTM), data: row }));
    expect(await runtime.fetchOne!('vendor:SHARE/NO-SUCH')).toBeUndefined();
  });

  it('holds a PO and invoices whose supplier or PO PeopleSoft lacks, naming it, and writes them once it arrives', async () => {
    const known = (await supplierNumbers())[0]!;
    const po = await s.jaggaer.admin.addPurchaseOrder({ supplierNumber: 'JGNEW0001', lines: [{ description: 'Valve', quantity: 4, unitPrice: 12.35 }] });
    const poNumber = String(getAt(po, 'header.purchaseOrderNumber'));
    const invoice = await s.jaggaer.admin.addInvoice({ supplierNumber: 'JGNEW0001', total: 49.4 });
    const pending = await s.jaggaer.admin.addPurchaseOrder({ supplierNumber: known, status: 'Pending Approval' });
    const pendingNumber = String(getAt(pending, 'header.purchaseOrderNumber'));
    const onPending = await s.jaggaer.admin.addInvoice({ supplierNumber: known, purchaseOrderNumber: pendingNumber, total: 10 });
    const poKey = `jaggaer-po:${String(getAt(po, 'header.purchaseOrderId'))}`;
    const invoiceKey = `jaggaer-invoice:${String(getAt(invoice, 'header.invoiceId'))}`;
    const onPendingKey = `jaggaer-invoice:${String(getAt(onPending, 'header.invoiceId'))}`;

    // A PO from a requisition JAGGAER does not return (yet).
    const fromLater = await s.jaggaer.admin.addPurchaseOrder({ supplierNumber: known, requisitionNumber: 'REQ-LATER' });
    const fromLaterKey = `jaggaer-po:${String(getAt(fromLater, 'header.purchaseOrderId'))}`;

    const { status } = await s.poll();
    expect(await s.waiting(FLOW_PURCHASE_ORDERS)).toEqual(
      [
        { record_key: poKey, missing_key: 'vendor:SHARE/JGNEW0001', reason: expect.stringContaining('PeopleSoft has no vendor SHARE/JGNEW0001 yet') },
        { record_key: fromLaterKey, missing_key: 'jaggaer-requisition:REQ-LATER', reason: expect.stringContaining('names requisition REQ-LATER, which JAGGAER does not return') },
      ].sort((a, b) => a.record_key.localeCompare(b.record_key)),
    );
    expect(await s.waiting(FLOW_INVOICES)).toEqual(
      [
        { record_key: invoiceKey, missing_key: 'vendor:SHARE/JGNEW0001', reason: expect.stringContaining(`JAGGAER invoice ${String(getAt(invoice, 'header.invoiceNumber'))} waits`) },
        { record_key: onPendingKey, missing_key: `purchaseOrder:US001/${pendingNumber}`, reason: expect.stringContaining('is approved and synced') },
      ].sort((a, b) => a.record_key.localeCompare(b.record_key)),
    );
    expect(status.progress[FLOW_INVOICES]?.waiting?.missingKeys).toEqual(expect.arrayContaining(['vendor:SHARE/JGNEW0001', `purchaseOrder:US001/${pendingNumber}`]));
    expect((await s.psRows('purchaseOrder')).filter((p) => p.PO_ID === poNumber)).toEqual([]);
    expect(await s.openDeadLetters()).toEqual([]);

    // The supplier is onboarded in JAGGAER and the PO approved: the next poll writes everything against the right vendor.
    await s.jaggaer.admin.addSupplier({ companyName: 'Newly Onboarded Valves', extCode: 'JGNEW0001' });
    await s.jaggaer.admin.patchRecord('purchaseOrders', String(getAt(pending, 'header.purchaseOrderId')), { 'header.status': 'Approved' });
    const raisedInJaggaer = await s.jaggaer.admin.seed({ requisitions: 1 });
    const [later] = (await s.jaggaerRecords('requisitions')).filter((r) => getAt(r, 'header.requisitionNumber') === raisedInJaggaer.requisitionNumbers[0]);
    await s.jaggaer.admin.patchRecord('requisitions', String(getAt(later, 'header.requisitionId')), { 'header.requisitionNumber': 'REQ-LATER' });
    await s.poll();
    // Raised in JAGGAER itself: recorded without a PeopleSoft requisition.
    const fromLaterPo = (await s.psRows('purchaseOrder')).filter((p) => p.PO_ID === getAt(fromLater, 'header.purchaseOrderNumber'));
    expect(fromLaterPo).toEqual([expect.objectContaining({ VENDOR_ID: known })]);
    expect(fromLaterPo[0]!.REQ_ID ?? '').toBe('');
    expect((await s.psRows('vendor')).filter((v) => v.VENDOR_ID === 'JGNEW0001')).toHaveLength(1);
    expect((await s.psRows('purchaseOrder')).filter((p) => p.PO_ID === poNumber)).toEqual([expect.objectContaining({ VENDOR_ID: 'JGNEW0001' })]);
    const vouchers = await s.psRows('voucher');
    expect(vouchers.filter((v) => v.VOUCHER_ID === `J${String(getAt(invoice, 'header.invoiceId'))}`)).toEqual([expect.objectContaining({ VENDOR_ID: 'JGNEW0001' })]);
    const matched = vouchers.filter((v) => v.VOUCHER_ID === `J${String(getAt(onPending, 'header.invoiceId'))}`);
    expect(matched).toHaveLength(1);
    expect((matched[0]!.VOUCHER_LINE as Row[])[0]).toMatchObject({ PO_ID: pendingNumber });
    expect(await s.waiting(FLOW_PURCHASE_ORDERS)).toEqual([]);
    expect(await s.waiting(FLOW_INVOICES)).toEqual([]);
    expect(await s.openDeadLetters()).toEqual([]);
  });

  it('updates a requisition edited before sourcing, and dead-letters edits JAGGAER or the PO CI cannot take, replayable once fixed', async () => {
    const [open, sourced] = await s.psRows('requisition');
    const jaggaerReq = async (row: Row) => (await s.jaggaerRecords('requisitions')).find((r) => getAt(r, 'header.externalReference') === `requisition:${String(row.BUSINESS_UNIT)}/${String(row.REQ_ID)}`)!;
    const sourcedDoc = await jaggaerReq(sourced!);
    await s.jaggaer.admin.patchRecord('requisitions', String(getAt(sourcedDoc, 'header.requisitionId')), { 'header.status': 'In Sourcing' });
    await s.psAdmin.updateRow('requisition', { BUSINESS_UNIT: String(open!.BUSINESS_UNIT), REQ_ID: String(open!.REQ_ID) }, { REQ_NAME: 'Edited before sourcing', MERCHANDISE_AMT: '1234567.89' });
    await s.psAdmin.updateRow('requisition', { BUSINESS_UNIT: String(sourced!.BUSINESS_UNIT), REQ_ID: String(sourced!.REQ_ID) }, { REQ_NAME: 'Edited too late' });

    // An approved PO recorded in PeopleSoft, then changed in JAGGAER (one more unit).
    const supplier = (await supplierNumbers())[1]!;
    const po = await s.jaggaer.admin.addPurchaseOrder({ supplierNumber: supplier, lines: [{ description: 'Pump', quantity: 2, unitPrice: 99.99 }] });
    const poNumber = String(getAt(po, 'header.purchaseOrderNumber'));
    const poKey = `jaggaer-po:${String(getAt(po, 'header.purchaseOrderId'))}`;
    await s.poll();
    const edited = await jaggaerReq(open!);
    expect(edited).toMatchObject({ header: { requisitionName: 'Edited before sourcing', total: { value: 1234567.89 } }, lineList: { line: [{ unitPrice: { value: 1234567.89 } }] } });
    expect((await s.jaggaerRecords('requisitions')).filter((r) => String(getAt(r, 'header.externalReference')).startsWith('requisition:'))).toHaveLength(4);
    const [refused] = (await s.openDeadLetters()).filter((d) => d.flow === FLOW_REQUISITIONS);
    expect(refused).toMatchObject({ record_key: `requisition:${String(sourced!.BUSINESS_UNIT)}/${String(sourced!.REQ_ID)}`, error_code: 'JAGGAER_RETURN_CODE_2', partner_status: 200 });
    expect(JSON.parse(refused!.raw_response!)).toMatchObject({ returnCode: 2, returnMessage: expect.stringContaining('is in status In Sourcing and can no longer be changed') });
    expect(getAt(await jaggaerReq(sourced!), 'header.requisitionName')).toBe(getAt(sourcedDoc, 'header.requisitionName'));

    await s.jaggaer.admin.patchRecord('purchaseOrders', String(getAt(po, 'header.purchaseOrderId')), { 'lineList.line': [{ lineNumber: 1, description: 'Pump', quantity: 3, unitOfMeasure: 'EA', unitPrice: { currency: 'USD', value: 99.99 } }] });
    await s.poll();
    const [changed] = (await s.openDeadLetters()).filter((d) => d.record_key === poKey);
    expect(changed).toMatchObject({ flow: FLOW_PURCHASE_ORDERS, error_code: 'PS_CI_NO_UPDATE' });
    expect(changed!.error_message).toContain(`JAGGAER PO ${poNumber} changed in JAGGAER after PeopleSoft recorded it (PO_LINE differ from PeopleSoft's)`);
    expect(changed!.error_message).toContain('MLC_PO_EXPRESS offers Create and Get only');
    expect(changed!.raw_response).toContain('CI_MLC_PO_EXPRESS_G');
    const psPo = (await s.psRows('purchaseOrder')).find((p) => p.PO_ID === poNumber)!;
    expect(String((psPo.PO_LINE as Row[])[0]!.QTY_PO)).toBe('2');

    // A buyer makes the change order in PeopleSoft; the replay finds PeopleSoft holding JAGGAER's values.
    await s.psAdmin.updateRow('purchaseOrder', { BUSINESS_UNIT: 'US001', PO_ID: poNumber }, { PO_LINE: [{ LINE_NBR: 1, DESCR254: 'Pump', QTY_PO: '3', PRICE_PO: '99.99' }] });
    const summary = await s.handle.executeUpdate(replayDeadLettersUpdate, { args: [{ flow: FLOW_PURCHASE_ORDERS, recordKeys: [poKey] }] });
    expect(summary).toMatchObject({ attempted: 1, resolved: 1, stillFailing: 0 });
    expect((await s.openDeadLetters()).map((d) => d.record_key)).toEqual([refused!.record_key]);
  });

  it('ends exact through 429 bursts and a returnCode error under HTTP 200 on a list: nothing taken for success, nothing lost', async () => {
    const numbers = await supplierNumbers();
    const invoiceIds: string[] = [];
    const poNumbers: string[] = [];
    for (let i = 0; i < 10; i++) poNumbers.push(String(getAt(await s.jaggaer.admin.addPurchaseOrder({ supplierNumber: numbers[i % numbers.length]!, lines: [{ quantity: 1, unitPrice: 3.3 }] }), 'header.purchaseOrderNumber')));
    for (let i = 0; i < 30; i++) invoiceIds.push(String(getAt(await s.jaggaer.admin.addInvoice({ supplierNumber: numbers[i % numbers.length]!, total: (i + 1) / 10 }), 'header.invoiceId')));
    await s.jaggaer.admin.setFaults({ burst429: { count: 4, retryAfterSeconds: 1 } });
    await s.jaggaer.admin.setReturnCodeFault({ count: 1, returnCode: 9, returnMessage: 'Internal processing error', method: 'GET' });

    const first = await s.poll();
    const errors = Object.entries(first.status.progress).filter(([, p]) => p.lastError);
    expect(errors.map(([, p]) => p.lastError)).toEqual([expect.stringContaining('returnCode 9: Internal processing error')]);
    const served = (await s.jaggaer.admin.requests()).map((r) => r.status);
    expect(served.filter((c) => c === 429)).toHaveLength(4);

    const second = await s.poll();
    expect(Object.values(second.status.progress).filter((p) => p.lastError)).toEqual([]);
    const vouchers = (await s.psRows('voucher')).filter((v) => invoiceIds.includes(String(v.VOUCHER_ID).slice(1)));
    expect(vouchers.map((v) => v.VOUCHER_ID).sort()).toEqual(invoiceIds.map((id) => `J${id}`).sort());
    expect((await s.psRows('purchaseOrder')).filter((p) => poNumbers.includes(String(p.PO_ID)))).toHaveLength(10);
    expect((await s.openDeadLetters()).filter((d) => d.flow !== FLOW_REQUISITIONS)).toEqual([]);
  });
});
