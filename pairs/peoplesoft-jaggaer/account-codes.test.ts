import type { JaggaerInvoice, JaggaerPurchaseOrder } from '../../connectors/jaggaer';
import { accountReferences, currentGlAccounts, glAccountToJaggaer, requisitionAccountReference, type GlAccountRow } from './account-codes';
import { peopleSoftJaggaerConfigSchema } from './config';
import { invoiceToVoucher, purchaseOrderToPeopleSoft, requisitionToJaggaer } from './map-documents';

const config = peopleSoftJaggaerConfigSchema.parse({
  peoplesoft: { baseUrl: 'http://127.0.0.1:1', node: 'PSFT_EP', accountSetId: 'CORP1' },
  jaggaer: { instanceUrl: 'http://127.0.0.1:2' },
  accountMap: { 'TRAVEL-J': '640000' },
});
const at = '2026-11-30T10:00:00.000Z';
const gl = (account: string, over: Partial<GlAccountRow> = {}): GlAccountRow => ({ SETID: 'CORP1', ACCOUNT: account, DESCR: `Account ${account}`, EFF_STATUS: 'A', EFFDT: '2020-01-01', LASTUPDDTTM: at, ...over });
const line = (lineNumber: string, accountCode: string | undefined, quantity = '2', unitPrice = '10.25') => ({ lineNumber, quantity, unitPrice, ...(accountCode ? { accountCode } : {}) });
const po = (lines: JaggaerPurchaseOrder['lines']): JaggaerPurchaseOrder => ({ id: '1', number: 'PO1', status: 'Approved', supplierNumber: 'V1', lastModified: at, lines });
const invoice = (total: string, lines: JaggaerInvoice['lines']): JaggaerInvoice => ({ id: '77', number: 'I77', supplierNumber: 'V1', total, lastModified: at, lines });

describe('GL accounts: PeopleSoft -> JAGGAER account codes, and the codes documents come back with', () => {
  it('makes an active account an active JAGGAER code equal to ACCOUNT, and deactivates (never deletes) an inactive one', () => {
    expect(glAccountToJaggaer(gl('600010'))).toEqual({ code: '600010', description: 'Account 600010', active: true });
    expect(glAccountToJaggaer(gl('600020', { EFF_STATUS: 'I' }))).toEqual({ code: '600020', description: 'Account 600020', active: false });
    expect(glAccountToJaggaer(gl('600030', { DESCR: '  ' }))).toMatchObject({ description: 'PeopleSoft account 600030' });
    expect(() => glAccountToJaggaer(gl('12345678901'))).toThrow("PeopleSoft GL account 12345678901 is longer than ACCOUNT's 10 characters");
  });

  it('sends the effective-dated row in force today, and an account effective only in the future as not yet active', () => {
    const rows = [gl('600010', { EFFDT: '2020-01-01', DESCR: 'old' }), gl('600010', { EFFDT: '2026-01-01', DESCR: 'current' }), gl('600010', { EFFDT: '2027-06-01', DESCR: 'future' }), gl('700000', { EFFDT: '2027-01-01' })];
    const current = currentGlAccounts(rows, '2026-11-30');
    expect(current.map(({ row, notYetEffective }) => [row.ACCOUNT, row.DESCR, notYetEffective])).toEqual([['600010', 'current', false], ['700000', 'Account 700000', true]]);
    expect(glAccountToJaggaer(current[1]!.row, current[1]!.notYetEffective).active).toBe(false);
  });

  it('makes each line coded outside the accountMap reference its PeopleSoft account, with a reason naming document, line and code', () => {
    const refs = accountReferences(config, 'JAGGAER PO PO1', [line('1', '600010'), line('2', 'TRAVEL-J'), line('3', '600010'), line('4', undefined), line('5', '999999')]);
    expect(refs.map((r) => [r.key, r.sourceSystem, r.targetSystem])).toEqual([
      ['glAccount:CORP1/600010', 'peoplesoft', 'jaggaer'],
      ['glAccount:CORP1/999999', 'peoplesoft', 'jaggaer'],
    ]);
    expect(refs[1]!.reason).toBe(
      "JAGGAER PO PO1 line 5 is coded to JAGGAER account 999999, which is not a PeopleSoft GL account in SETID CORP1 (none synced, none in accountMap): it waits until 999999 is added in PeopleSoft or mapped in the connection's accountMap",
    );
    expect(requisitionAccountReference(config, 'PeopleSoft requisition US001/R1', '600010').map((r) => r.key)).toEqual(['glAccount:CORP1/600010']);
    expect(requisitionAccountReference(config, 'PeopleSoft requisition US001/R1', undefined)).toEqual([]);
  });

  it('writes the PeopleSoft ACCOUNT (mapped or our own code) on PO lines and voucher lines, and the requisition ACCOUNT out', () => {
    expect(purchaseOrderToPeopleSoft(po([line('1', '600010'), line('2', 'TRAVEL-J'), line('3', undefined)]), undefined, config).PO_LINE.map((l) => l.ACCOUNT)).toEqual(['600010', '640000', undefined]);
    const voucher = invoiceToVoucher(invoice('35.5', [line('1', '600010', '2', '10.25'), line('2', 'TRAVEL-J', '1.5', '10')]), config);
    expect(voucher.VOUCHER_LINE).toEqual([
      { VOUCHER_LINE_NUM: 1, DESCR: 'JAGGAER I77 line 1', MERCHANDISE_AMT: '20.5', ACCOUNT: '600010' },
      { VOUCHER_LINE_NUM: 2, DESCR: 'JAGGAER I77 line 2', MERCHANDISE_AMT: '15', ACCOUNT: '640000' },
    ]);
    expect(invoiceToVoucher(invoice('12.5', []), config).VOUCHER_LINE).toEqual([{ VOUCHER_LINE_NUM: 1, DESCR: 'JAGGAER I77', MERCHANDISE_AMT: '12.5' }]);
    expect(() => invoiceToVoucher(invoice('40', [line('1', '600010')]), config)).toThrow('JAGGAER invoice I77 lines add up to 20.5, not its total 40: the PeopleSoft voucher would be out of balance');
    const req = requisitionToJaggaer('requisition:US001/R1', { BUSINESS_UNIT: 'US001', REQ_ID: 'R1', MERCHANDISE_AMT: '99.95', ACCOUNT: '600010' });
    expect(req.lines).toEqual([{ lineNumber: 1, description: 'PeopleSoft requisition US001/R1', quantity: '1', unitPrice: '99.95', accountCode: '600010' }]);
  });

  it('refuses an accountMap entry PeopleSoft could not hold, naming the field', () => {
    const bad = peopleSoftJaggaerConfigSchema.safeParse({ peoplesoft: { baseUrl: 'http://127.0.0.1:1', node: 'PSFT_EP' }, jaggaer: { instanceUrl: 'http://127.0.0.1:2' }, accountMap: { X: '12345678901' } });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]).toMatchObject({ path: ['accountMap', 'X'], message: 'a PeopleSoft ACCOUNT has at most 10 characters' });
  });
});
