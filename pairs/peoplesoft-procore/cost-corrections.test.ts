import type { JournalInput } from '../../connectors/peoplesoft';
import { correctionOf, firstPosting, legacyTarget, parsePosted, postedTarget } from './cost-corrections';
import { isVoucherCost, voucherAdjustmentOrigin, voucherPartOrigin } from './origin-ids';
import { peopleSoftProcoreConfigSchema } from './config';
import { adjustmentLines, chunkLines, projectVoucherRowSchema, voucherData } from './voucher-costs';

const journal = (id: string, lines: [string, string][]): JournalInput => ({
  BUSINESS_UNIT: 'US001',
  JOURNAL_ID: id,
  JOURNAL_DATE: '2026-11-30',
  LEDGER: 'ACTUALS',
  JRNL_LN: lines.map(([ACCOUNT, MONETARY_AMOUNT], i) => ({ JOURNAL_LINE: i + 1, ACCOUNT, DEPTID: 'D0001', PROJECT_ID: 'PRJ00001', MONETARY_AMOUNT, TXN_CURRENCY_CD: 'USD' })),
});

describe('correcting journals of edited Procore costs', () => {
  it('posts the difference per ACCOUNT, exactly, and keeps the posted state readable from the link', () => {
    const first = journal('D000000001', [['610000', '0.10'], ['610000', '0.20'], ['620000', '5.00']]);
    const posted = parsePosted(postedTarget(firstPosting(first)), 'cost');
    expect([...posted.net]).toEqual([['610000', '0.3'], ['620000', '5']]);
    const c = correctionOf('D', '1', '2', '3', posted, journal('D000000001', [['610000', '0.30'], ['630000', '1.01']]), '2026-12-01T00:00:00Z')!;
    expect(c.journal.JRNL_LN.map((l) => [l.ACCOUNT, l.MONETARY_AMOUNT])).toEqual([['620000', '-5'], ['630000', '1.01']]);
    expect(c.journal.JOURNAL_ID).toMatch(/^D[0-9A-Z]{9}$/);
    expect(parsePosted(postedTarget(c.next), 'cost').journals).toEqual(['D000000001', c.journal.JOURNAL_ID]);
  });

  it('gives a repeat the same journal id and a return to an earlier content a new one', () => {
    const a = journal('D000000001', [['610000', '10']]);
    const b = journal('D000000001', [['610000', '12']]);
    const toB = correctionOf('D', '1', '2', '3', firstPosting(a), b, '2026-12-01')!;
    expect(correctionOf('D', '1', '2', '3', firstPosting(a), b, '2026-12-01')!.journal.JOURNAL_ID).toBe(toB.journal.JOURNAL_ID);
    const backToA = correctionOf('D', '1', '2', '3', toB.next, a, '2026-12-02')!;
    const toBAgain = correctionOf('D', '1', '2', '3', backToA.next, b, '2026-12-03')!;
    expect(new Set([toB.journal.JOURNAL_ID, backToA.journal.JOURNAL_ID, toBAgain.journal.JOURNAL_ID]).size).toBe(3);
    expect(correctionOf('D', '1', '2', '3', firstPosting(a), journal('X', [['610000', '10.00']]), '2026-12-01')).toBeUndefined();
  });

  it('tells a link written before edits were tracked (read back from PeopleSoft) from an unreadable one (refused by name)', () => {
    expect(legacyTarget('US001/D000000001')).toEqual({ businessUnit: 'US001', journalId: 'D000000001' });
    expect(legacyTarget(postedTarget(firstPosting(journal('D000000001', [['610000', '1']]))))).toBeUndefined();
    expect(() => parsePosted('garbage', 'Procore direct cost 7')).toThrow(/Procore direct cost 7: its link \(garbage\) does not say what was posted/);
  });
});

describe('vouchers as Procore direct costs', () => {
  it('splits at 100 lines and adjusts by the difference per cost code', () => {
    expect(chunkLines(Array.from({ length: 250 }, (_, i) => i)).map((p) => p.length)).toEqual([100, 100, 50]);
    const line = (account: string, amount: string) => ({ account, amount, description: '' });
    expect(adjustmentLines([line('610000', '1.10'), line('620000', '2')], [line('610000', '1.1'), line('620000', '2.01'), line('630000', '-3')], 'v').map((l) => [l.account, l.amount])).toEqual([['620000', '0.01'], ['630000', '-3']]);
  });

  it('takes the project lines of a voucher, and refuses one whose lines are on two Procore projects', () => {
    const config = peopleSoftProcoreConfigSchema.parse({
      peoplesoft: { baseUrl: 'http://127.0.0.1:1', node: 'PSFT_EP' },
      procore: { environment: 'production', companyId: '1' },
      projects: { '11': { projectId: 'PRJ1', deptId: 'D1' }, '12': { projectId: 'PRJ2', deptId: 'D2' } },
      defaultProjectId: '11',
    });
    const row = (lines: { PROJECT_ID?: string; PO_ID?: string }[]) => projectVoucherRowSchema.parse({ BUSINESS_UNIT: 'US001', VOUCHER_ID: '1', VENDOR_ID: '1', LASTUPDDTTM: '2026-11-30T00:00:00Z', DISTRIB_LINE: lines.map((l) => ({ ACCOUNT: '610000', MERCHANDISE_AMT: '1', ...l })) });
    const onCommitment = (l: { PO_ID?: string }) => l.PO_ID === 'PO1';
    expect(voucherData(row([{ PROJECT_ID: 'OTHER' }, {}]), config, onCommitment)).toBeUndefined();
    expect(voucherData(row([{ PROJECT_ID: 'PRJ2' }, { PROJECT_ID: 'PRJ2', PO_ID: 'PO1' }, {}]), config, onCommitment)).toMatchObject({ projectId: '12', lines: [{ PROJECT_ID: 'PRJ2' }] });
    expect(voucherData(row([{ PROJECT_ID: 'PRJ1' }, { PROJECT_ID: 'PRJ2' }]), config, onCommitment)?.problem).toMatch(/on 2 Procore projects \(PRJ1, PRJ2\): split the voucher/);
  });

  it('recognises only our own origin ids', () => {
    expect(isVoucherCost(voucherPartOrigin('voucher:US001/00000001', 2))).toBe(true);
    expect(isVoucherCost(voucherAdjustmentOrigin('voucher:US001/00000001', 1))).toBe(true);
    expect(isVoucherCost('ERP-4711')).toBe(false);
    expect(isVoucherCost(null)).toBe(false);
  });
});
