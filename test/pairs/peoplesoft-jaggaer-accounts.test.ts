import { FLOW_GL_ACCOUNTS, FLOW_INVOICES, FLOW_PURCHASE_ORDERS, FLOW_REQUISITIONS } from '../../pairs/peoplesoft-jaggaer/config';
import { getAt } from '../../simulators/jaggaer/resources';
import { type Row } from '../../simulators/peoplesoft/tables';
import { JaggaerPairScenario } from './jaggaer-scenario';

/**
 * PeopleSoft GL accounts -> JAGGAER account codes, first and one way, and the account codes JAGGAER documents come
 * back with: on the real Temporal server, PostgreSQL, the product worker process and both simulators. A PO or invoice
 * line coded to an account PeopleSoft does not know waits with a reason naming it, and is written exactly once when
 * the account is added in PeopleSoft.
 */
const ACCOUNTS = 60;
const CODED_REQUISITIONS = 10;
const PURCHASE_ORDERS = 120;
const INVOICES = 120;
const UNKNOWN = '699990';
const account = (i: number) => String(600000 + (1 + (i % ACCOUNTS)) * 10);

describe('PeopleSoft <-> JAGGAER GL accounts and coded documents', () => {
  const s = new JaggaerPairScenario();
  const accountPosts = async (sinceSeq: number) => (await s.jaggaer.admin.requests(sinceSeq)).filter((r) => r.method === 'POST' && r.path.endsWith('/accountcodes')).length;
  const lastSeq = async () => (await s.jaggaer.admin.requests()).at(-1)?.seq ?? 0;
  const codes = async () => new Map((await s.jaggaerRecords('accounts')).map((a) => [String(a.code), a]));
  const coded = (rows: Row[], lines: string) => rows.filter((r) => String(r.PO_ID ?? r.VOUCHER_ID).match(/^(PO|J)/)).flatMap((r) => (r[lines] as Row[]).map((l) => l.ACCOUNT));
  let inactive: string;
  let handKeyedId: unknown;

  beforeAll(async () => {
    await s.setUp('pair-ps-jaggaer-accounts', {
      psCounts: { vendor: 3, glAccount: ACCOUNTS, requisition: CODED_REQUISITIONS },
      jaggaerSuppliers: 4,
      customize: async () => {
        inactive = account(4);
        await s.psAdmin.updateRow('glAccount', { SETID: 'SHARE', ACCOUNT: inactive }, { EFF_STATUS: 'I' });
        for (const [i, r] of (await s.psRows('requisition')).entries()) await s.psAdmin.updateRow('requisition', { BUSINESS_UNIT: String(r.BUSINESS_UNIT), REQ_ID: String(r.REQ_ID) }, { ACCOUNT: account(i) });
        // Keyed in JAGGAER by hand before the connection existed: adopted by code and updated, never duplicated.
        handKeyedId = (await s.jaggaer.admin.addAccount({ code: account(1), description: 'typed by hand' })).accountCodeId;
      },
    });
  }, 240_000);
  afterAll(() => s.tearDown());

  it('syncs GL accounts first as JAGGAER account codes (inactive ones deactivated), requisitions coded to them, once', async () => {
    const seconds = await s.startSync();
    const written = ACCOUNTS + CODED_REQUISITIONS + 3 + 4;
    process.stdout.write(`[measure] first poll: ${written} records (GL accounts, coded requisitions, suppliers) in ${seconds.toFixed(1)} s = ${(written / seconds).toFixed(0)} records/s\n`);

    const byCode = await codes();
    expect(byCode.size).toBe(ACCOUNTS);
    expect([...byCode.keys()].sort()).toEqual((await s.psAdmin.rows('glAccount')).map((r) => String(r.ACCOUNT)).sort());
    expect(byCode.get(inactive)).toMatchObject({ status: 'INACTIVE' });
    expect(byCode.get(account(1))).toMatchObject({ accountCodeId: handKeyedId, status: 'ACTIVE', description: expect.stringMatching(/^Expense account/) });
    expect([...byCode.values()].filter((a) => a.status === 'ACTIVE')).toHaveLength(ACCOUNTS - 1);

    // Requisitions went out after the accounts (dependsOn) and carry their ACCOUNT as the line's account code; the
    // one charged to the inactive account is refused by JAGGAER under HTTP 200 and dead-lettered with that answer.
    const reqs = await s.jaggaerRecords('requisitions');
    expect(reqs.map((r) => getAt(r, 'lineList.line.0.accountCode')).sort()).toEqual(
      Array.from({ length: CODED_REQUISITIONS }, (_, i) => account(i)).filter((a) => a !== inactive).sort(),
    );
    const letters = await s.openDeadLetters();
    expect(letters.map((d) => [d.flow, d.error_code])).toEqual([[FLOW_REQUISITIONS, 'JAGGAER_RETURN_CODE_2']]);
    expect(JSON.parse(letters[0]!.raw_response!)).toMatchObject({ returnMessage: `Validation failed: line 1 account code ${inactive} is inactive` });

    // Nothing comes back (one way) and repeats write nothing; a deactivation in PeopleSoft reaches JAGGAER as one update.
    const seq = await lastSeq();
    await s.poll();
    expect(await accountPosts(seq)).toBe(0);
    const closing = account(7);
    await s.psAdmin.updateRow('glAccount', { SETID: 'SHARE', ACCOUNT: closing }, { EFF_STATUS: 'I' });
    await s.poll();
    expect(await accountPosts(seq)).toBe(1);
    const after = await codes();
    expect(after.size).toBe(ACCOUNTS);
    expect(after.get(closing)).toMatchObject({ status: 'INACTIVE', accountCodeId: byCode.get(closing)!.accountCodeId });
    expect(Object.keys((await s.status()).progress)).toContain(FLOW_GL_ACCOUNTS);
  });

  it(`records ${PURCHASE_ORDERS} coded POs and ${INVOICES} coded invoices once; a line on an unknown account waits until PeopleSoft has it`, async () => {
    const suppliers = (await s.jaggaerRecords('suppliers')).map((r) => String(getAt(r, 'companyInfo.extCode')));
    const poNumbers: string[] = [];
    for (let i = 0; i < PURCHASE_ORDERS; i++) {
      const lines = [{ description: `Part ${i}`, quantity: 1 + (i % 3), unitPrice: 10 + i, accountCode: account(10 + i) }, { description: `Freight ${i}`, quantity: 1, unitPrice: 5, accountCode: account(11 + i) }];
      poNumbers.push(String(getAt(await s.jaggaer.admin.addPurchaseOrder({ supplierNumber: suppliers[i % suppliers.length]!, lines }), 'header.purchaseOrderNumber')));
    }
    for (let i = 0; i < INVOICES; i++) {
      const quantity = 1 + (i % 3);
      await s.jaggaer.admin.addInvoice({ supplierNumber: suppliers[i % suppliers.length]!, purchaseOrderNumber: poNumbers[i], total: quantity * (10 + i), lines: [{ quantity, unitPrice: 10 + i, accountCode: account(10 + i) }] });
    }
    const lateSupplier = suppliers[0]!;
    const latePo = await s.jaggaer.admin.addPurchaseOrder({ supplierNumber: lateSupplier, lines: [{ description: 'New kind of spend', quantity: 1, unitPrice: 99, accountCode: UNKNOWN }] });
    const lateInvoice = await s.jaggaer.admin.addInvoice({ supplierNumber: lateSupplier, total: 99, lines: [{ quantity: 1, unitPrice: 99, accountCode: UNKNOWN }] });
    const latePoKey = `jaggaer-po:${String(getAt(latePo, 'header.purchaseOrderId'))}`;
    const lateInvoiceKey = `jaggaer-invoice:${String(getAt(lateInvoice, 'header.invoiceId'))}`;
    const lettersBefore = (await s.openDeadLetters()).length;

    const { seconds, status } = await s.poll();
    const written = PURCHASE_ORDERS + INVOICES;
    process.stdout.write(`[measure] ${PURCHASE_ORDERS} coded POs + ${INVOICES} coded invoices -> PeopleSoft in ${seconds.toFixed(1)} s = ${(written / seconds).toFixed(0)} records/s\n`);

    const pos = (await s.psRows('purchaseOrder')).filter((p) => String(p.PO_ID).startsWith('PO'));
    expect(pos).toHaveLength(PURCHASE_ORDERS);
    expect(coded(pos, 'PO_LINE')).toEqual(expect.arrayContaining([account(10), account(11)]));
    expect(coded(pos, 'PO_LINE').every((a) => typeof a === 'string' && a !== UNKNOWN)).toBe(true);
    const vouchers = (await s.psRows('voucher')).filter((v) => String(v.VOUCHER_ID).startsWith('J'));
    expect(vouchers).toHaveLength(INVOICES);
    expect(coded(vouchers, 'VOUCHER_LINE').sort()).toEqual(Array.from({ length: INVOICES }, (_, i) => account(10 + i)).sort());

    // The PO and the invoice on the unknown account wait (never dead-lettered, never dropped), their reason naming it.
    const reason = expect.stringContaining(`is coded to JAGGAER account ${UNKNOWN}, which is not a PeopleSoft GL account in SETID SHARE`);
    expect(await s.waiting(FLOW_PURCHASE_ORDERS)).toEqual([{ record_key: latePoKey, missing_key: `glAccount:SHARE/${UNKNOWN}`, reason }]);
    expect(await s.waiting(FLOW_INVOICES)).toEqual([{ record_key: lateInvoiceKey, missing_key: `glAccount:SHARE/${UNKNOWN}`, reason }]);
    expect(status.progress[FLOW_PURCHASE_ORDERS]?.waiting?.missingKeys).toEqual([`glAccount:SHARE/${UNKNOWN}`]);
    expect(await s.openDeadLetters()).toHaveLength(lettersBefore);

    // Finance adds the account in PeopleSoft: the next poll syncs it to JAGGAER first, then the waiting documents.
    await s.psAdmin.insertRow('glAccount', { SETID: 'SHARE', ACCOUNT: UNKNOWN, DESCR: 'New spend category', ACCOUNT_TYPE: 'E', EFF_STATUS: 'A', EFFDT: '2020-01-01' });
    await s.poll();
    expect((await codes()).get(UNKNOWN)).toMatchObject({ status: 'ACTIVE', description: 'New spend category' });
    const latePsPo = (await s.psRows('purchaseOrder')).filter((p) => p.PO_ID === getAt(latePo, 'header.purchaseOrderNumber'));
    expect(latePsPo.map((p) => (p.PO_LINE as Row[]).map((l) => l.ACCOUNT))).toEqual([[UNKNOWN]]);
    expect(coded((await s.psRows('voucher')).filter((v) => v.VOUCHER_ID === `J${String(getAt(lateInvoice, 'header.invoiceId'))}`), 'VOUCHER_LINE')).toEqual([UNKNOWN]);
    expect(await s.waiting(FLOW_PURCHASE_ORDERS)).toEqual([]);
    expect(await s.waiting(FLOW_INVOICES)).toEqual([]);

    // Exactly once: more polls write no second PO or voucher, and JAGGAER keeps one code per account.
    await s.poll();
    expect((await s.psRows('purchaseOrder')).filter((p) => String(p.PO_ID).startsWith('PO'))).toHaveLength(PURCHASE_ORDERS + 1);
    expect((await s.psRows('voucher')).filter((v) => String(v.VOUCHER_ID).startsWith('J'))).toHaveLength(INVOICES + 1);
    expect((await codes()).size).toBe(ACCOUNTS + 1);
    expect(await s.openDeadLetters()).toHaveLength(lettersBefore);
  });
});
