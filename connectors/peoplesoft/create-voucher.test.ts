import { partnerFailure } from '../../test/support/partner-failure';
import { startWithAdmin } from '../../simulators/peoplesoft/test-support';
import { type PeopleSoftSimAdmin } from '../../simulators/peoplesoft/admin-client';
import { DEMO_OPRID, DEMO_PASSWORD } from '../../simulators/peoplesoft';
import { type RunningSimulator } from '../../simulators/kit/types';
import { createPeopleSoftConnector, type PeopleSoftConnector, type VoucherInput, SoapClientCache } from '.';

/** Vouchers entered through CI_MLC_VCHR_EXPRESS: matched to a PO, idempotent by VOUCHER_ID, prompt edits read plainly. */
let sim: RunningSimulator;
let admin: PeopleSoftSimAdmin;
let ps: PeopleSoftConnector;

const voucher = (overrides: Partial<VoucherInput> = {}): VoucherInput => ({
  BUSINESS_UNIT: 'US001',
  VOUCHER_ID: 'JG000001',
  INVOICE_ID: 'I1000042',
  INVOICE_DT: '2026-11-02',
  DUE_DT: '2026-12-02',
  VENDOR_SETID: 'SHARE',
  VENDOR_ID: '0000000001',
  GROSS_AMT: '1234567890123.455',
  TXN_CURRENCY_CD: 'USD',
  VOUCHER_LINE: [{ VOUCHER_LINE_NUM: 1, DESCR: 'Bearings', MERCHANDISE_AMT: '1234567890123.455', BUSINESS_UNIT_PO: 'US001', PO_ID: '0000000001' }],
  ...overrides,
});

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
  await admin.seed({ recordsPerObject: 3 });
});

describe('voucher Component Interface', () => {
  it('creates a voucher matched to its PO, Recorded and pending approval, and a repeat is already applied', async () => {
    expect(await ps.createVoucher(voucher())).toEqual({ outcome: 'created', keys: { BUSINESS_UNIT: 'US001', VOUCHER_ID: 'JG000001' } });
    const row = (await admin.rows('voucher')).find((r) => r.VOUCHER_ID === 'JG000001');
    expect(row).toMatchObject({ INVOICE_ID: 'I1000042', VENDOR_ID: '0000000001', ENTRY_STATUS: 'R', APPR_STATUS: 'P' });
    expect(row?.VOUCHER_LINE).toEqual([expect.objectContaining({ VOUCHER_LINE_NUM: 1, PO_ID: '0000000001' })]);
    expect(await ps.createVoucher(voucher())).toEqual({ outcome: 'already_applied', keys: { BUSINESS_UNIT: 'US001', VOUCHER_ID: 'JG000001' } });
  });

  it('reads a prompt-table refusal (unknown vendor) in plain language, keeps the raw answer, and succeeds once the vendor exists', async () => {
    const err = await partnerFailure(ps.createVoucher(voucher({ VENDOR_ID: 'JG00000077' })));
    expect(err).toMatchObject({ code: 'PS_15_11', decision: { retry: false } });
    expect(err.rawBody).toContain('Invalid value -- press the prompt button or hyperlink for a list of valid values (15,11)');
    expect(err.rawBody).toContain('VENDOR_ID=JG00000077');
    expect(err.hint).toContain('not in its list of valid values');
    await ps.upsertVendor({ SETID: 'SHARE', VENDOR_ID: 'JG00000077', NAME1: 'Acme Bolts' });
    expect((await ps.createVoucher(voucher({ VENDOR_ID: 'JG00000077' }))).outcome).toBe('created');
  });

  it('refuses a voucher line matched to a PO PeopleSoft does not have', async () => {
    const line = { VOUCHER_LINE_NUM: 1, MERCHANDISE_AMT: '10', BUSINESS_UNIT_PO: 'US001', PO_ID: 'NOSUCHPO' };
    const err = await partnerFailure(ps.createVoucher(voucher({ VOUCHER_LINE: [line] })));
    expect(err.code).toBe('PS_15_11');
    expect(err.rawBody).toContain('PO_ID=NOSUCHPO');
  });
});
