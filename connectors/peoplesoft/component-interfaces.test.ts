import { partnerFailure } from '../../test/support/partner-failure';
import { startWithAdmin } from '../../simulators/peoplesoft/test-support';
import { type PeopleSoftSimAdmin } from '../../simulators/peoplesoft/admin-client';
import { DEMO_OPRID, DEMO_PASSWORD, DEMO_TOKEN } from '../../simulators/peoplesoft';
import { type RunningSimulator } from '../../simulators/kit/types';
import { createPeopleSoftConnector, type PeopleSoftConnector, type PurchaseOrderInput, SoapClientCache } from '.';

let sim: RunningSimulator;
let admin: PeopleSoftSimAdmin;
let ps: PeopleSoftConnector;

async function firstRow(table: 'voucher' | 'requisition', apprStatus: string) {
  const row = (await admin.rows(table)).find((r) => r.APPR_STATUS === apprStatus);
  if (!row) throw new Error(`no ${table} with APPR_STATUS ${apprStatus} in the seed`);
  return row;
}

const po: PurchaseOrderInput = {
  BUSINESS_UNIT: 'US001',
  PO_ID: 'MLC0000001',
  PO_DT: '2024-05-01',
  VENDOR_SETID: 'SHARE',
  VENDOR_ID: '0000000001',
  BUYER_ID: 'BUYER1',
  TXN_CURRENCY_CD: 'USD',
  PO_LINE: [
    { LINE_NBR: 1, DESCR254: 'Copy paper', QTY_PO: '10', PRICE_PO: '4.25', ACCOUNT: '600010', DEPTID: '10000' },
    { LINE_NBR: 2, DESCR254: 'Toner', QTY_PO: '2', PRICE_PO: '80' },
  ],
};

beforeAll(async () => {
  ({ sim, admin } = await startWithAdmin());
  ps = createPeopleSoftConnector(
    { baseUrl: sim.baseUrl, node: 'PSFT_EP', auth: { method: 'basic', oprid: DEMO_OPRID, password: DEMO_PASSWORD }, timeoutMs: 10_000 },
    { soapClients: new SoapClientCache() },
  );
});
afterAll(() => sim.close());
beforeEach(async () => {
  await admin.reset();
  await admin.seed({ recordsPerObject: 20 });
});

describe('Component Interface calls through the served WSDL', () => {
  it('approves a pending voucher: the row changes, LASTUPDDTTM moves and the write is logged', async () => {
    const voucher = await firstRow('voucher', 'P');
    await admin.advanceClock(60_000);
    const result = await ps.approveVoucher({ businessUnit: String(voucher.BUSINESS_UNIT), voucherId: String(voucher.VOUCHER_ID), decision: 'A', comment: 'OK per Asana task <123>', approver: 'jane@example.com' });
    expect(result).toEqual({ outcome: 'updated', keys: { BUSINESS_UNIT: voucher.BUSINESS_UNIT, VOUCHER_ID: voucher.VOUCHER_ID } });
    const after = (await admin.rows('voucher')).find((r) => r.VOUCHER_ID === voucher.VOUCHER_ID && r.BUSINESS_UNIT === voucher.BUSINESS_UNIT);
    expect(after).toMatchObject({ APPR_STATUS: 'A', MLC_APPR_COMMENTS: 'OK per Asana task <123>', MLC_APPROVER_OPRID: 'jane@example.com' });
    expect(Date.parse(String(after?.LASTUPDDTTM))).toBeGreaterThan(Date.parse(String(voucher.LASTUPDDTTM)));
    expect(await admin.effects()).toEqual([
      expect.objectContaining({ operation: 'CI_MLC_VCHR_APPR_UP', oprid: DEMO_OPRID, method: 'Update', keys: { BUSINESS_UNIT: voucher.BUSINESS_UNIT, VOUCHER_ID: voucher.VOUCHER_ID }, fields: expect.objectContaining({ APPR_STATUS: 'A' }) }),
    ]);
  });

  it('does not write again when the decision is already in PeopleSoft (a retried activity)', async () => {
    const voucher = await firstRow('voucher', 'P');
    const input = { businessUnit: String(voucher.BUSINESS_UNIT), voucherId: String(voucher.VOUCHER_ID), decision: 'D' as const };
    expect((await ps.approveVoucher(input)).outcome).toBe('updated');
    expect((await ps.approveVoucher(input)).outcome).toBe('already_applied');
    expect(await admin.effects()).toHaveLength(1);
  });

  it('denies a requisition with a comment, also with an OAuth2 bearer token', async () => {
    const req = await firstRow('requisition', 'P');
    const bearer = createPeopleSoftConnector({ baseUrl: sim.baseUrl, node: 'PSFT_EP', auth: { method: 'oauth2', accessToken: DEMO_TOKEN } }, { soapClients: new SoapClientCache() });
    const result = await bearer.approveRequisition({ businessUnit: String(req.BUSINESS_UNIT), reqId: String(req.REQ_ID), decision: 'D', comment: 'Over budget' });
    expect(result.outcome).toBe('updated');
    const after = (await admin.rows('requisition')).find((r) => r.REQ_ID === req.REQ_ID && r.BUSINESS_UNIT === req.BUSINESS_UNIT);
    expect(after).toMatchObject({ APPR_STATUS: 'D', MLC_APPR_COMMENTS: 'Over budget' });
  });

  it('a voucher that does not exist is a permanent PS_NO_ROWS', async () => {
    const err = await partnerFailure(ps.approveVoucher({ businessUnit: 'US001', voucherId: 'NOPE0001', decision: 'A' }));
    expect(err).toMatchObject({ code: 'PS_NO_ROWS', decision: { retry: false } });
  });

  it('creates a purchase order; the same create again is already applied, a different one a conflict', async () => {
    expect(await ps.createPurchaseOrder(po)).toEqual({ outcome: 'created', keys: { BUSINESS_UNIT: 'US001', PO_ID: 'MLC0000001' } });
    const stored = (await admin.rows('purchaseOrder')).find((r) => r.PO_ID === 'MLC0000001');
    expect(stored).toMatchObject({ PO_STATUS: 'I', VENDOR_ID: '0000000001', PO_LINE: [expect.objectContaining({ LINE_NBR: 1, QTY_PO: 10, PRICE_PO: 4.25 }), expect.objectContaining({ LINE_NBR: 2 })] });

    expect(await ps.createPurchaseOrder(po)).toEqual({ outcome: 'already_applied', keys: { BUSINESS_UNIT: 'US001', PO_ID: 'MLC0000001' } });
    expect((await admin.effects()).filter((e) => e.method === 'Create')).toHaveLength(1);

    const err = await partnerFailure(ps.createPurchaseOrder({ ...po, PO_LINE: [{ LINE_NBR: 1, QTY_PO: '99', PRICE_PO: '1' }] }));
    expect(err).toMatchObject({ code: 'PS_DUPLICATE_CONFLICT', decision: { retry: false } });
    expect(err.rawBody).toContain('Row already exists with the specified keys. {MLC_PO_EXPRESS} (91,49)');
  });

  it('creates GL cost lines once; a retry is already applied', async () => {
    const journal = {
      BUSINESS_UNIT: 'US001',
      JOURNAL_ID: 'PRC0000001',
      JOURNAL_DATE: '2024-06-30',
      LEDGER: 'ACTUALS',
      JRNL_LN: [
        { JOURNAL_LINE: 1, ACCOUNT: '600010', DEPTID: '21000', OPERATING_UNIT: 'NY', PROJECT_ID: 'PRJ00007', MONETARY_AMOUNT: '1250.50', TXN_CURRENCY_CD: 'USD' },
        { JOURNAL_LINE: 2, ACCOUNT: '200000', MONETARY_AMOUNT: '-1250.50', TXN_CURRENCY_CD: 'USD' },
      ],
    };
    expect((await ps.createJournalLines(journal)).outcome).toBe('created');
    expect((await ps.createJournalLines(journal)).outcome).toBe('already_applied');
    const lines = (await admin.rows('journalLine')).filter((r) => r.JOURNAL_ID === 'PRC0000001');
    expect(lines).toEqual([
      expect.objectContaining({ JOURNAL_LINE: 1, MONETARY_AMOUNT: 1250.5, PROJECT_ID: 'PRJ00007', UNPOST_SEQ: 0 }),
      expect.objectContaining({ JOURNAL_LINE: 2, MONETARY_AMOUNT: -1250.5 }),
    ]);
  });

  it('upserts a vendor: created, then already applied, then updated when the name changed', async () => {
    const vendor = { SETID: 'SHARE', VENDOR_ID: 'PRCF000001', NAME1: 'Procurify Supplier', VENDOR_STATUS: 'A', VENDOR_CLASS: 'R' as const };
    expect((await ps.upsertVendor(vendor)).outcome).toBe('created');
    expect((await ps.upsertVendor(vendor)).outcome).toBe('already_applied');
    expect((await ps.upsertVendor({ ...vendor, NAME1: 'Procurify Supplier Inc' })).outcome).toBe('updated');
    expect((await admin.rows('vendor')).find((r) => r.VENDOR_ID === 'PRCF000001')).toMatchObject({ NAME1: 'Procurify Supplier Inc' });
    expect((await admin.effects()).map((e) => `${e.operation}:${e.method}`)).toEqual(['CI_VNDR_ID_C:Create', 'CI_VNDR_ID_UP:Update']);
  });

  it('a CI edit (bad translate value) is a permanent PS_CI_ERROR with the PeopleSoft message', async () => {
    const err = await partnerFailure(ps.upsertVendor({ SETID: 'SHARE', VENDOR_ID: 'BADSTAT01', NAME1: 'Bad status', VENDOR_STATUS: 'Q' }));
    expect(err).toMatchObject({ code: 'PS_CI_ERROR', status: 200, decision: { retry: false } });
    expect(err.message).toContain('Invalid value for VENDOR_STATUS');
  });

  it('a 5xx on the SOAP call itself (WSDL already loaded) is retryable', async () => {
    const voucher = await firstRow('voucher', 'P');
    const input = { businessUnit: String(voucher.BUSINESS_UNIT), voucherId: String(voucher.VOUCHER_ID), decision: 'A' as const };
    await ps.approveVoucher(input); // builds and caches the client
    await admin.setFaults({ errorRate: 1, errorStatus: 502 });
    const err = await partnerFailure(ps.approveVoucher({ ...input, decision: 'D' }));
    expect(err).toMatchObject({ status: 502, code: 'PS_SERVER_ERROR', decision: { retry: true } });
    expect(err.operation).toBe('CI_MLC_VCHR_APPR_G');
  });
});
