import { isPartnerError, type PartnerError } from '../../core/partner-error';
import { type RunningJaggaerSimulator } from '../../simulators/jaggaer';
import { jaggaerSimulatorPerFile } from '../../simulators/jaggaer/test-support';
import { getAt } from '../../simulators/jaggaer/resources';
import { RateLimiterRegistry } from '../http/rate-limiter';
import { createJaggaerConnector } from './connector';
import { listAllChanged } from './list-changed';
import { toInvoice } from './models';
import type { JaggaerProviderOverride } from './provider-schema';

/**
 * The connector against the simulator over real HTTP on 127.0.0.1: paging to totRecords, LASTMODTIME filters, the
 * provider description a connection overrides, writes, and returnCode errors under HTTP 200 never taken for success.
 */
let sim: RunningJaggaerSimulator;

jaggaerSimulatorPerFile((s) => (sim = s), { settings: { pageSize: 100, token: { accessTokenLifetimeSeconds: 300 } }, clearRequests: true });

function connector(provider?: JaggaerProviderOverride) {
  return createJaggaerConnector(
    { instanceUrl: sim.instanceUrl, auth: { clientId: sim.client.clientId, clientSecret: sim.client.clientSecret }, provider },
    { limiters: new RateLimiterRegistry() },
  );
}

async function failure(promise: Promise<unknown>): Promise<PartnerError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isPartnerError(err)) throw new Error(`expected a PartnerError, got ${String(err)}`);
  return err;
}

describe('JAGGAER connector: lists', () => {
  it('walks every page of invoices to totRecords with money kept as decimal text', async () => {
    await sim.admin.setSettings({ pageSize: 40 });
    await sim.admin.seed({ suppliers: 4, purchaseOrders: 10, invoices: 130 });
    const jaggaer = connector();
    const seen: string[] = [];
    let pages = 0;
    for await (const page of listAllChanged(jaggaer.client, 'invoices', (doc) => toInvoice(doc, jaggaer.client.provider), undefined)) {
      pages += 1;
      expect(page.unreadable).toEqual([]);
      seen.push(...page.records.map((r) => r.id));
    }
    expect(pages).toBe(4);
    expect(new Set(seen).size).toBe(130);
    const starts = (await sim.admin.requests()).map((r) => r.query.start);
    expect(starts).toEqual(['1', '41', '81', '121']);

    const first = (await jaggaer.listInvoicesPage()).records[0]!;
    expect(first).toMatchObject({ lineType: 'PO', total: '50', currency: 'USD', paymentStatus: 'Payable' });
    expect(first.poNumber).toMatch(/^PO\d+$/);
    const third = (await jaggaer.listInvoicesPage()).records[2]!;
    expect(third).toMatchObject({ lineType: 'Non-PO', total: '52.2' });
    expect(third.poNumber).toBeUndefined();
  });

  it('sends LASTMODTIME>= for changed-since and returns only what changed', async () => {
    const seeded = await sim.admin.seed({ suppliers: 3, requisitions: 5, purchaseOrders: 5 });
    const since = new Date((await sim.admin.advanceClock(5_000)).now);
    await sim.admin.advanceClock(2_000);
    const [po] = await sim.admin.records('purchaseOrders');
    await sim.admin.patchRecord('purchaseOrders', String(getAt(po, 'header.purchaseOrderId')), { 'header.status': 'Approved' });
    await sim.admin.addPurchaseOrder({ supplierNumber: seeded.supplierNumbers[0]!, status: 'Pending Approval' });

    const jaggaer = connector();
    const changed = await jaggaer.listPurchaseOrdersPage({ changedSince: since });
    expect(changed.totRecords).toBe(2);
    const approved = await jaggaer.listPurchaseOrdersPage({ changedSince: since, approvedOnly: true });
    expect(approved.records.map((r) => r.number)).toEqual([getAt(po, 'header.purchaseOrderNumber')]);
    expect(approved.records[0]).toMatchObject({ status: 'Approved', requisitionNumber: seeded.requisitionNumbers[0], supplierNumber: seeded.supplierNumbers[0] });
    expect(approved.records[0]!.lines[0]).toMatchObject({ lineNumber: '1', quantity: '1', unitPrice: '10' });
    const flt = (await sim.admin.requests()).at(-1)!.query.flt;
    expect(flt).toBe(`LASTMODTIME>=${since.toISOString().replace(/\.\d{3}Z$/, 'Z')};STATUS==Approved`);
  });

  it('keeps a record it cannot read, with the field and what to change, instead of dropping it', async () => {
    const seeded = await sim.admin.seed({ suppliers: 1, invoices: 3 });
    await sim.admin.patchRecord('invoices', seeded.invoiceIds[1]!, { 'header.total': { currency: 'USD', value: 'n/a' } });
    const page = await connector().listInvoicesPage();
    expect(page.records).toHaveLength(2);
    expect(page.unreadable).toHaveLength(1);
    expect(page.unreadable[0]).toMatchObject({ field: 'total', problem: 'JAGGAER invoice total at header.total.value is "n/a", not a decimal amount' });
    expect(getAt(page.unreadable[0]!.raw, 'header.invoiceId')).toBe(seeded.invoiceIds[1]);
  });
});

describe('JAGGAER connector: the provider description a connection overrides', () => {
  it('reads fields from where an override says this instance keeps them', async () => {
    await sim.admin.seed({ suppliers: 2 });
    const standard = (await connector().listSuppliersPage()).records[0]!;
    const overridden = (await connector({ resources: { suppliers: { fields: { supplierNumber: 'companyInfo.fiscalCode' } } } }).listSuppliersPage()).records[0]!;
    expect(standard.supplierNumber).toMatch(/^JG\d+$/);
    expect(overridden).toMatchObject({ ...standard, supplierNumber: 'TAX000001' });
  });

  it('refuses an override naming a field that does not exist, and says where a list is missing', async () => {
    expect(() => connector({ resources: { invoices: { fields: { invoiceTotal: 'x' } } } } as unknown as JaggaerProviderOverride)).toThrow(
      'JAGGAER connection config: provider.resources.invoices.fields: Unrecognized key: "invoiceTotal"',
    );
    expect(() => connector({ resources: { invoices: { path: 'no-slash' } } })).toThrow('provider.resources.invoices.path');
    await sim.admin.seed({ suppliers: 1, invoices: 1 });
    const err = await failure(connector({ resources: { invoices: { listPath: 'invoiceList.invoice' } } }).listInvoicesPage());
    expect(err.code).toBe('JAGGAER_UNEXPECTED_RESPONSE');
    expect(err.hint).toContain('provider.resources.invoices.listPath');
  });
});

describe('JAGGAER connector: writes and returnCode errors', () => {
  const requisition = (supplierNumber?: string) => ({
    externalRef: 'US001/0000012345',
    businessUnit: 'US001',
    description: 'Bearings for line 3',
    currency: 'USD',
    total: '1234567890123.45',
    supplierNumber,
    lines: [{ lineNumber: 1, description: 'Bearing 6204', quantity: '3', unitPrice: '411522630041.15', uom: 'EA' }],
  });

  it('creates a requisition with amounts written digit for digit and finds it again by our key', async () => {
    const seeded = await sim.admin.seed({ suppliers: 1 });
    const jaggaer = connector();
    const created = await jaggaer.createRequisition(requisition(seeded.supplierNumbers[0]));
    const body = (await sim.admin.requests()).find((r) => r.method === 'POST')!.body;
    expect(getAt(body, 'requisition.header')).toMatchObject({ externalReference: 'US001/0000012345', suggestedSupplier: { supplierNumber: seeded.supplierNumbers[0] } });
    expect(getAt(body, 'requisition.lineList.line')).toEqual([{ lineNumber: 1, description: 'Bearing 6204', quantity: 3, unitPrice: { value: 411522630041.15 }, unitOfMeasure: 'EA' }]);
    const found = await jaggaer.findRequisitionByExternalRef('US001/0000012345');
    expect(found).toMatchObject({ id: created.id, externalRef: 'US001/0000012345', number: `REQ${created.id}`, total: '1234567890123.45' });
    expect(await jaggaer.findRequisitionByExternalRef('US001/none')).toBeUndefined();
  });

  it('throws a validation error answered under HTTP 200 as a permanent PartnerError with the raw body', async () => {
    const err = await failure(connector().createRequisition(requisition('NO-SUCH-SUPPLIER')));
    expect(err).toMatchObject({ status: 200, code: 'JAGGAER_RETURN_CODE_2', decision: { retry: false } });
    expect(JSON.parse(err.rawBody!)).toMatchObject({ returnCode: 2, returnMessage: 'Validation failed: supplier NO-SUCH-SUPPLIER does not exist' });
    expect(err.message).toContain('Validation failed: supplier NO-SUCH-SUPPLIER does not exist');
    expect(await sim.admin.records('requisitions')).toEqual([]);
  });

  it('never takes a non-zero returnCode for success on reads either', async () => {
    await sim.admin.seed({ suppliers: 1, invoices: 2 });
    await sim.admin.setReturnCodeFault({ count: 1, returnCode: 17, returnMessage: 'Search service unavailable' });
    const err = await failure(connector().listInvoicesPage());
    expect(err).toMatchObject({ status: 200, code: 'JAGGAER_RETURN_CODE_17' });
    expect((await connector().listInvoicesPage()).records).toHaveLength(2);
  });

  it('updates a requisition while it is pending, and is refused under HTTP 200 once it is in sourcing', async () => {
    const seeded = await sim.admin.seed({ suppliers: 1 });
    const jaggaer = connector();
    const { id } = await jaggaer.createRequisition(requisition(seeded.supplierNumbers[0]));
    await jaggaer.updateRequisition(id, { ...requisition(seeded.supplierNumbers[0]), description: 'Bearings, revised', lines: [{ lineNumber: 1, quantity: '4', unitPrice: '0.10' }] });
    const post = (await sim.admin.requests()).filter((r) => r.method === 'POST').at(-1)!;
    expect(post.body).toMatchObject({ operationCode: 'UPDATE', requisition: { header: { requisitionId: id }, lineList: { line: [{ quantity: 4, unitPrice: { value: 0.1 } }] } } });
    expect(await jaggaer.findRequisitionByExternalRef('US001/0000012345')).toMatchObject({ id, description: 'Bearings, revised', lines: [{ quantity: '4', unitPrice: '0.1' }] });
    expect(await sim.admin.records('requisitions')).toHaveLength(1);

    await sim.admin.patchRecord('requisitions', id, { 'header.status': 'In Sourcing' });
    const err = await failure(jaggaer.updateRequisition(id, requisition(seeded.supplierNumbers[0])));
    expect(err).toMatchObject({ status: 200, code: 'JAGGAER_RETURN_CODE_2', decision: { retry: false } });
    expect(JSON.parse(err.rawBody!)).toMatchObject({ returnMessage: `Requisition REQ${id} is in status In Sourcing and can no longer be changed` });
    expect(await jaggaer.findRequisitionByExternalRef('US001/0000012345')).toMatchObject({ description: 'Bearings, revised' });
  });

  it('finds a supplier by its id (BRAVOID), or nothing', async () => {
    const seeded = await sim.admin.seed({ suppliers: 2 });
    const jaggaer = connector();
    const second = (await jaggaer.findSupplierByNumber(seeded.supplierNumbers[1]!))!;
    expect(await jaggaer.findSupplierById(second.id)).toEqual(second);
    expect(await jaggaer.findSupplierById('999')).toBeUndefined();
    expect((await sim.admin.requests()).at(-1)!.query.flt).toBe('BRAVOID==999');
  });

  it('upserts suppliers: create, then update the same profile found by its number', async () => {
    const jaggaer = connector();
    const created = await jaggaer.upsertSupplier({ supplierNumber: 'V000000042', name: 'Acme Bolts', duns: '123456789' });
    expect(created.outcome).toBe('created');
    const updated = await jaggaer.upsertSupplier({ supplierNumber: 'V000000042', name: 'Acme Bolts Inc' });
    expect(updated).toEqual({ id: created.id, outcome: 'updated' });
    expect(await jaggaer.findSupplierByNumber('V000000042')).toMatchObject({ id: created.id, name: 'Acme Bolts Inc', duns: '123456789' });
    const posts = (await sim.admin.requests()).filter((r) => r.method === 'POST').map((r) => getAt(r.body, 'operationCode'));
    expect(posts).toEqual(['CREATE', 'UPDATE']);
  });

  it('refuses bad write input by field before sending anything', async () => {
    await expect(connector().createRequisition({ ...requisition(), lines: [{ lineNumber: 1, quantity: '3', unitPrice: '1,50' }] })).rejects.toThrow('a decimal amount as text');
    await expect(connector().upsertSupplier({ supplierNumber: '', name: 'X' })).rejects.toThrow('supplierNumber is the PeopleSoft VENDOR_ID');
    expect(await sim.admin.requests()).toEqual([]);
  });

  it('waits out a 429 burst with Retry-After and then succeeds', async () => {
    await sim.admin.seed({ suppliers: 1, invoices: 1 });
    await sim.admin.setFaults({ burst429: { count: 2, retryAfterSeconds: 1 } });
    const page = await connector().listInvoicesPage();
    expect(page.records).toHaveLength(1);
    expect((await sim.admin.requests()).map((r) => r.status)).toEqual([429, 429, 200]);
  });
});
