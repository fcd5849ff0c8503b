import { randomUUID } from 'node:crypto';
import { type Client, type WorkflowHandle } from '@temporalio/client';
import { canonicalDecimal, sumDecimals } from '../../core/decimal';
import { statusQuery } from '../../core/sync-messages';
import { syncStartOptions } from '../../core/sync-start';
import { type SyncStatus } from '../../core/sync-types';
import { getConnection, insertConnection, putCredentials } from '../../db/connections';
import { CredentialCipher } from '../../db/credential-cipher';
import { listAuditEvents } from '../../db/audit-events';
import { listDeadLetters } from '../../db/dead-letters';
import { pairOf, syncInputFor } from '../../pairs/derive';
import { createPeopleSoftConnector } from '../../connectors/peoplesoft';
import type { ProcoreDirectCost } from '../../connectors/procore';
import { FLOW_DIRECT_COSTS, FLOW_PROJECT_VOUCHERS, PAIR, peopleSoftProcoreConfigSchema } from '../../pairs/peoplesoft-procore/config';
import { newWebhookAuthorization, pairConfig } from '../../pairs/peoplesoft-procore/demo-world';
import { directCostToJournal, journalIdOf } from '../../pairs/peoplesoft-procore/map-costs';
import { DEMO_OPRID, DEMO_PASSWORD, startPeopleSoftSimulator } from '../../simulators/peoplesoft';
import { PeopleSoftSimAdmin } from '../../simulators/peoplesoft/admin-client';
import { type Row } from '../../simulators/peoplesoft/tables';
import { startProcoreSimulator, type RunningProcoreSimulator } from '../../simulators/procore';
import { type Rec } from '../../simulators/procore/store';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { testMasterKey } from '../support/env';
import { testClient, uniqueTaskQueue } from '../support/temporal';
import { eventually, type WorkerProcess } from '../support/worker-process';
import { pollAndWait as pollUntilIdle, startProductWorker } from './pair-harness';

/**
 * Costs both ways after posting, on the real Temporal server, PostgreSQL, the product worker and both simulators:
 * a 250-line PeopleSoft voucher becomes 3 Procore direct costs exactly once across a worker SIGKILL, an edited voucher
 * one adjusting cost, an edited Procore direct cost or change order one correcting journal, change order lines post
 * on their cost codes, and every sum agrees to the cent as decimals. No webhooks here: the poll does it all.
 */
const ACCOUNTS = ['610000', '620000', '630000'];
const total = (values: unknown[]) => canonicalDecimal(sumDecimals(values.map((v) => String(v))));
const amountOf = (i: number) => `${1 + (i % 97)}.${String((i * 37) % 100).padStart(2, '0')}`;
const distribLines = (n: number, project: string, amount: (i: number) => string) =>
  Array.from({ length: n }, (_, i) => ({ VOUCHER_LINE_NUM: i + 1, DISTRIB_LINE_NUM: 1, ACCOUNT: ACCOUNTS[i % 3]!, PROJECT_ID: project, MERCHANDISE_AMT: amount(i), DESCR: `Line ${i + 1}` }));

describe('PeopleSoft <-> Procore costs after posting (vouchers to direct costs, corrections)', () => {
  let db: TestDatabase;
  let client: Client;
  let ps: Awaited<ReturnType<typeof startPeopleSoftSimulator>>;
  let psAdmin: PeopleSoftSimAdmin;
  let procore: RunningProcoreSimulator;
  let projectIds: string[];
  let seededCosts: string[];
  let handle: WorkflowHandle;
  let vouchers: Row[];
  const workers: WorkerProcess[] = [];
  const connectionId = randomUUID();
  const taskQueue = uniqueTaskQueue('pair-procore-costs');
  const masterKey = testMasterKey();

  const status = (): Promise<SyncStatus> => handle.query(statusQuery);
  const pollAndWait = (): Promise<SyncStatus> => pollUntilIdle(handle, 180_000);
  const journalLines = async () => (await psAdmin.rows('journalLine')).filter((r) => /^[DC][0-9A-Z]{9}$/.test(String(r.JOURNAL_ID)));
  const voucherKey = (v: Row) => `voucher:${String(v.BUSINESS_UNIT)}/${String(v.VOUCHER_ID)}`;
  const costsOf = async (key: string) => (await procore.admin.records('directCosts')).filter((d) => String(d.origin_id ?? '').startsWith(`${key}#`));
  const linesOf = async (costs: Rec[]) => {
    const ids = new Set(costs.map((c) => c.id));
    return (await procore.admin.records('directCostLines')).filter((l) => ids.has((l.holder as { id: string }).id));
  };

  beforeAll(async () => {
    db = await createTestDatabase('pair-ps-procore-costs');
    client = await testClient();
    ps = await startPeopleSoftSimulator({ port: 0 });
    psAdmin = new PeopleSoftSimAdmin(ps.baseUrl);
    await psAdmin.setConfig({ slowQuery: { msPerDay: 0, maxMs: 0 } });
    await psAdmin.seed({ recordsPerObject: 0, counts: { vendor: 4, voucher: 3 } });
    procore = await startProcoreSimulator({ port: 0 });
    ({ projectIds, directCostIds: seededCosts } = await procore.admin.seed({ projects: 2, costCodes: ACCOUNTS, directCosts: 4, linesPerDirectCost: 3 }));
    vouchers = await psAdmin.rows('voucher');
    // Voucher 1: 250 lines on the first job site (PRJ00001) plus one corporate line; voucher 2: 3 lines on the second.
    await psAdmin.updateRow('voucher', { BUSINESS_UNIT: String(vouchers[0]!.BUSINESS_UNIT), VOUCHER_ID: String(vouchers[0]!.VOUCHER_ID) }, { VENDOR_ID: '0000000001', DISTRIB_LINE: [...distribLines(250, 'PRJ00001', amountOf), { VOUCHER_LINE_NUM: 251, ACCOUNT: '610000', MERCHANDISE_AMT: '999.99', PROJECT_ID: '' }] });
    // Voucher 2 also has a line on a PO born in Procore (a commitment's cost: not a direct cost).
    await psAdmin.updateRow('voucher', { BUSINESS_UNIT: String(vouchers[1]!.BUSINESS_UNIT), VOUCHER_ID: String(vouchers[1]!.VOUCHER_ID) }, { VENDOR_ID: '0000000002', DISTRIB_LINE: [...distribLines(3, 'PRJ00002', (i) => ['100.10', '200.20', '300.30'][i]!), { VOUCHER_LINE_NUM: 4, ACCOUNT: '610000', PROJECT_ID: 'PRJ00002', MERCHANDISE_AMT: '5000.00', PO_ID: 'PC0000A1B2' }] });
    // Voucher 3: a vendor PeopleSoft's vendor inquiry never returned: it waits, naming the vendor.
    await psAdmin.updateRow('voucher', { BUSINESS_UNIT: String(vouchers[2]!.BUSINESS_UNIT), VOUCHER_ID: String(vouchers[2]!.VOUCHER_ID) }, { VENDOR_ID: '0000000999', DISTRIB_LINE: distribLines(2, 'PRJ00001', () => '1.00') });
    vouchers = await psAdmin.rows('voucher');
    const cipher = new CredentialCipher(masterKey);
    await insertConnection(db.pool, { id: connectionId, customerId: 'procore-costs-e2e', pair: PAIR, config: pairConfig(ps.baseUrl, procore.apiUrl, procore.companyId, projectIds) as Record<string, unknown> });
    await putCredentials(db.pool, cipher, connectionId, 'peoplesoft', { method: 'basic', oprid: DEMO_OPRID, password: DEMO_PASSWORD });
    await putCredentials(db.pool, cipher, connectionId, 'procore', { method: 'client_credentials', ...procore.client });
    await putCredentials(db.pool, cipher, connectionId, 'procoreWebhook', { authorization: newWebhookAuthorization() });
    workers.push(await startProductWorker({ pool: db.pool, taskQueue, masterKey }));
  }, 180_000);
  afterAll(async () => {
    await handle?.terminate('test finished').catch(() => undefined);
    for (const w of workers) await w.stop().catch(() => undefined);
    await procore?.close();
    await ps?.close();
    await client?.connection.close();
    await db?.drop();
  });

  it('splits a 250-line voucher into 3 direct costs exactly once across a worker SIGKILL, and never posts them back', async () => {
    const began = Date.now();
    const big = voucherKey(vouchers[0]!);
    handle = await client.workflow.start(pairOf(PAIR).workflowType, syncStartOptions(syncInputFor((await getConnection(db.pool, connectionId))!), taskQueue));
    // The worker dies as soon as the first part is in Procore: the next attempt finds it by origin_id.
    await eventually(async () => (await costsOf(big)).length >= 1, 180_000, 'the first part');
    await workers[0]!.kill();
    workers.push(await startProductWorker({ pool: db.pool, taskQueue, masterKey }));
    await eventually(async () => (await status()).totals.polls >= 1 && (await status()).state === 'idle', 180_000, 'first poll');
    await pollAndWait();
    const seconds = (Date.now() - began) / 1000;

    const parts = await costsOf(big);
    expect(parts.map((p) => p.origin_id).sort()).toEqual([`${big}#1`, `${big}#2`, `${big}#3`]);
    const partLines = await Promise.all(parts.map((p) => linesOf([p])));
    expect(partLines.map((l) => l.length).sort()).toEqual([100, 100, 50]);
    expect(parts.every((p) => p.direct_cost_type === 'invoice' && (p.vendor as { id: string }).id === (parts[0]!.vendor as { id: string }).id)).toBe(true);
    const vendor = (await procore.admin.records('vendors')).find((v) => v.id === (parts[0]!.vendor as { id: string }).id)!;
    expect(vendor.origin_id).toBe('vendor:SHARE/0000000001');
    // Project lines only, to the cent, each on the cost code of its ACCOUNT.
    expect(total(partLines.flat().map((l) => l.amount))).toBe(total(Array.from({ length: 250 }, (_, i) => amountOf(i))));
    expect(partLines.flat().filter((l) => (l.cost_code as { code: string }).code === '620000')).toHaveLength(83);
    const small = await costsOf(voucherKey(vouchers[1]!));
    expect(small.map((p) => p.project_id)).toEqual([projectIds[1]]);
    expect(total((await linesOf(small)).map((l) => l.amount))).toBe('600.6');
    expect(await costsOf(voucherKey(vouchers[2]!))).toEqual([]);
    expect((await status()).progress[FLOW_PROJECT_VOUCHERS]!.waiting?.missingKeys).toEqual(['vendor:SHARE/0000000999']);
    // No echo: only the 4 costs entered in Procore became journals.
    const lines = await journalLines();
    expect(new Set(lines.map((l) => l.JOURNAL_ID)).size).toBe(seededCosts.length);
    expect((await listDeadLetters(db.pool, { connectionId })).filter((d) => d.status === 'open')).toEqual([]);
    // Whether the kill landed between two parts (then the next attempt found part 1 by origin_id and linked it).
    const recovered = (await listAuditEvents(db.pool, { connectionId, recordKey: big })).some((a) => a.action === 'link');
    process.stdout.write(`[measure] 253 voucher lines -> 4 direct costs + 4 Procore costs (12 lines) -> journals, across a SIGKILL (recovered mid-voucher: ${recovered}), in ${seconds.toFixed(1)} s (${(265 / seconds).toFixed(1)} lines/s)\n`);
  }, 400_000);

  it('adjusts an edited voucher with one cost of the difference, once', async () => {
    const key = voucherKey(vouchers[1]!);
    await psAdmin.updateRow('voucher', { BUSINESS_UNIT: String(vouchers[1]!.BUSINESS_UNIT), VOUCHER_ID: String(vouchers[1]!.VOUCHER_ID) }, { DISTRIB_LINE: distribLines(3, 'PRJ00002', (i) => ['100.10', '250.25', '0.05'][i]!) });
    await pollAndWait();
    await pollAndWait();
    const costs = await costsOf(key);
    expect(costs.map((c) => c.origin_id).sort()).toEqual([`${key}#1`, `${key}#adj-1`]);
    const adj = await linesOf(costs.filter((c) => c.origin_id === `${key}#adj-1`));
    expect(adj.map((l) => [(l.cost_code as { code: string }).code, l.amount])).toEqual([['620000', '50.05'], ['630000', '-300.25']]);
    expect(total((await linesOf(costs)).map((l) => l.amount))).toBe(total(['100.10', '250.25', '0.05']));
    const audit = (await listAuditEvents(db.pool, { connectionId })).filter((a) => a.flow === FLOW_PROJECT_VOUCHERS && a.record_key === key && a.action === 'update');
    expect(audit).toHaveLength(1);
  }, 400_000);

  it('posts one correcting journal for an edited direct cost and for an edited change order, on their cost codes', async () => {
    const dcId = seededCosts[0]!;
    const dc = (await procore.admin.records('directCosts')).find((d) => d.id === dcId)!;
    const co = await procore.admin.addChangeOrderWithLines(projectIds[0]!, [{ amount: '1200.40', costCode: '620000' }, { amount: '-0.15' }]);
    await pollAndWait();
    const coJournal = (await journalLines()).filter((l) => l.JOURNAL_ID === journalIdOf('C', procore.companyId, projectIds[0]!, co.id));
    expect(coJournal.map((l) => [l.ACCOUNT, String(l.MONETARY_AMOUNT)])).toEqual([['620000', '1200.4'], ['640000', '-0.15']]);

    const before = new Set((await journalLines()).map((l) => l.JOURNAL_ID));
    await procore.admin.editDirectCost(dcId, ['10.00', '20.00', '30.01']);
    await procore.admin.editChangeOrder(co.id, [{ amount: '1000.00', costCode: '620000' }, { amount: '5.00', costCode: '630000' }]);
    await pollAndWait();
    await pollAndWait();
    const after = await journalLines();
    const added = [...new Set(after.map((l) => l.JOURNAL_ID))].filter((j) => !before.has(j));
    expect(added).toHaveLength(2);
    // Per cost, everything posted sums to what Procore holds now.
    const dcOriginal = journalIdOf('D', procore.companyId, String(dc.project_id), dcId);
    const dcCorrection = added.find((j) => String(j).startsWith('D'))!;
    expect(total(after.filter((l) => l.JOURNAL_ID === dcOriginal || l.JOURNAL_ID === dcCorrection).map((l) => l.MONETARY_AMOUNT))).toBe('60.01');
    const coCorrection = added.find((j) => String(j).startsWith('C'))!;
    const coAll = after.filter((l) => l.JOURNAL_ID === coCorrection || l.JOURNAL_ID === coJournal[0]!.JOURNAL_ID);
    const byAccount = (acct: string) => total(coAll.filter((l) => l.ACCOUNT === acct).map((l) => l.MONETARY_AMOUNT));
    expect([byAccount('620000'), byAccount('630000'), byAccount('640000')]).toEqual(['1000', '5', '0']);
    // All journals against all Procore costs not made from vouchers, to the cent.
    const ours = (await procore.admin.records('directCosts')).filter((d) => !String(d.origin_id ?? '').startsWith('voucher:'));
    const procoreTotal = total([...(await linesOf(ours)).map((l) => l.amount), ...(await procore.admin.records('changeOrders')).map((c) => String(c.grand_total))]);
    expect(total(after.map((l) => l.MONETARY_AMOUNT))).toBe(procoreTotal);
    const audit = (await listAuditEvents(db.pool, { connectionId })).filter((a) => a.flow === FLOW_DIRECT_COSTS && a.action === 'update');
    expect(audit.map((a) => a.record_key)).toEqual([`direct-cost:${String(dc.project_id)}/${dcId}`]);
  }, 400_000);

  it('corrects a cost the webhook posted as it was before an edit, when the poll meets it first after the edit', async () => {
    const dc = await procore.admin.addDirectCost(projectIds[1]!, ['11.11', '22.22']);
    // What the inbox does on the create event: the cost's journal, posted before any poll linked the cost.
    const config = peopleSoftProcoreConfigSchema.parse(pairConfig(ps.baseUrl, procore.apiUrl, procore.companyId, projectIds));
    const { vendorSetId: _v, businessUnit: _b, ledger: _l, ...endpoint } = config.peoplesoft;
    const peoplesoft = createPeopleSoftConnector({ ...endpoint, auth: { method: 'basic', oprid: DEMO_OPRID, password: DEMO_PASSWORD } });
    const asRead = { ...dc, line_items: (await linesOf([dc])).map((l) => ({ amount: String(l.amount), description: String(l.description), cost_code: l.cost_code })) } as unknown as ProcoreDirectCost;
    await peoplesoft.createJournalLines(directCostToJournal(asRead, projectIds[1]!, procore.companyId, config));
    await procore.admin.editDirectCost(dc.id, ['11.11', '30.00']);
    await pollAndWait();
    await pollAndWait();
    const original = journalIdOf('D', procore.companyId, projectIds[1]!, dc.id);
    const lines = await journalLines();
    const correction = lines.find((l) => l.LINE_DESCR === `Correction of ${original}`);
    expect(correction).toMatchObject({ ACCOUNT: '620000', MONETARY_AMOUNT: expect.anything() });
    expect(total([correction!.MONETARY_AMOUNT])).toBe('7.78');
    expect(total(lines.filter((l) => l.JOURNAL_ID === original || l.JOURNAL_ID === correction!.JOURNAL_ID).map((l) => l.MONETARY_AMOUNT))).toBe('41.11');
    expect((await listDeadLetters(db.pool, { connectionId })).filter((d) => d.status === 'open')).toEqual([]);
  }, 400_000);
});
