import { randomUUID } from 'node:crypto';
import { applyRecords } from '../../activities/apply-records';
import { loadFlowContext } from '../../activities/connection-context';
import { withWaitingRecords } from '../../activities/flow-dependencies';
import { type FlowContext } from '../../activities/flows/types';
import { canonicalDecimal, sumDecimals } from '../../core/decimal';
import { insertConnection, putCredentials } from '../../db/connections';
import { CredentialCipher } from '../../db/credential-cipher';
import { linkWithAudit } from '../../db/record-effects';
import { listWaiting } from '../../db/waiting-records';
import { listDeadLetters } from '../../db/dead-letters';
import { FLOW_COST_CODES, FLOW_PROCORE_POS, FLOW_PS_POS, FLOW_REQUISITIONS, PAIR } from '../../pairs/peoplesoft-procore/config';
import { pairContext } from '../../pairs/peoplesoft-procore/context';
import { newWebhookAuthorization, pairConfig } from '../../pairs/peoplesoft-procore/demo-world';
import { peopleSoftProcoreInbox } from '../../pairs/peoplesoft-procore/inbox';
import { invoiceIdOf, requisitionKey, voucherIdOf } from '../../pairs/peoplesoft-procore/map-requisition';
import { costCodeFlow } from '../../pairs/peoplesoft-procore/cost-code-flow';
import { commitmentKey, psPoIdOf } from '../../pairs/peoplesoft-procore/procore-po-flow';
import { requisitionFlow } from '../../pairs/peoplesoft-procore/requisition-flow';
import { HANDLED_RESOURCES, inboxResource } from '../../pairs/peoplesoft-procore/webhook-receiver';
import { DEMO_OPRID, DEMO_PASSWORD, startPeopleSoftSimulator } from '../../simulators/peoplesoft';
import { PeopleSoftSimAdmin } from '../../simulators/peoplesoft/admin-client';
import { type Row } from '../../simulators/peoplesoft/tables';
import { startProcoreSimulator, type RunningProcoreSimulator } from '../../simulators/procore';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { testMasterKey } from '../support/env';

/**
 * Requisitions (subcontractor invoices) -> PeopleSoft vouchers on the PO their commitment is linked to, on real
 * PostgreSQL and both simulators, through the flow's poll path and the webhook inbox (no workflow: the e2e in
 * peoplesoft-procore.test.ts runs them under Temporal). Commitments are linked in both directions: one from a
 * PeopleSoft PO (as the PO flow leaves it), one made in Procore and synced by its webhook.
 */
const total = (values: unknown[]) => canonicalDecimal(sumDecimals(values.map((v) => String(v))));

describe('Procore requisitions -> PeopleSoft vouchers (real PostgreSQL, both simulators)', () => {
  let db: TestDatabase;
  let ps: Awaited<ReturnType<typeof startPeopleSoftSimulator>>;
  let psAdmin: PeopleSoftSimAdmin;
  let procore: RunningProcoreSimulator;
  let ctx: FlowContext;
  let projectIds: string[];
  const connectionId = randomUUID();

  const vouchers = async () => (await psAdmin.rows('voucher')).filter((v) => /^R[0-9A-Z]{7}$/.test(String(v.VOUCHER_ID)));
  /** One poll of the flow: its window plus the records waiting for a reference. */
  async function poll() {
    const runtime = await requisitionFlow(ctx);
    const fetched = await runtime.fetchWindow(new Date(Date.now() - 86_400_000), new Date(Date.now() + 60_000));
    const { records, waitingKeys } = await withWaitingRecords(db.pool, connectionId, FLOW_REQUISITIONS, fetched, true);
    return applyRecords(db.pool, runtime, records, { connectionId, flow: FLOW_REQUISITIONS, waitingKeys });
  }
  const event = (resource: string, projectId: string, id: string) => ({ kind: `${resource}.create`, resourceId: inboxResource(resource, projectId, id), eventId: randomUUID() });

  beforeAll(async () => {
    db = await createTestDatabase('procore-reqs');
    ps = await startPeopleSoftSimulator({ port: 0 });
    psAdmin = new PeopleSoftSimAdmin(ps.baseUrl);
    await psAdmin.seed({ recordsPerObject: 0, counts: { vendor: 3, purchaseOrder: 2 } });
    procore = await startProcoreSimulator({ port: 0 });
    ({ projectIds } = await procore.admin.seed({ projects: 2 }));
    const cipher = new CredentialCipher(testMasterKey());
    await insertConnection(db.pool, { id: connectionId, customerId: 'procore-reqs', pair: PAIR, config: pairConfig(ps.baseUrl, procore.apiUrl, procore.companyId, projectIds) as Record<string, unknown> });
    await putCredentials(db.pool, cipher, connectionId, 'peoplesoft', { method: 'basic', oprid: DEMO_OPRID, password: DEMO_PASSWORD });
    await putCredentials(db.pool, cipher, connectionId, 'procore', { method: 'client_credentials', ...procore.client });
    await putCredentials(db.pool, cipher, connectionId, 'procoreWebhook', { authorization: newWebhookAuthorization() });
    ctx = await loadFlowContext(db.pool, cipher, connectionId);
  }, 60_000);
  afterAll(async () => {
    await procore?.close();
    await ps?.close();
    await db?.drop();
  });

  it('vouchers approved requisitions once against the linked PO, either link direction, and waits on an unlinked commitment by name', async () => {
    const pair = pairContext(ctx);
    const [po] = (await psAdmin.rows('purchaseOrder')) as Row[];
    const psVendors = (await psAdmin.rows('vendor')) as Row[];
    const vendorOf = (v: Row) => `vendor:${String(v.SETID)}/${String(v.VENDOR_ID)}`;
    const poVendor = psVendors.find((v) => v.VENDOR_ID === po!.VENDOR_ID)!;
    const other = psVendors.find((v) => v.VENDOR_ID !== po!.VENDOR_ID)!;
    const procoreVendor = await pair.procore.syncVendor({ origin_id: vendorOf(poVendor), name: String(poVendor.NAME1) });
    const otherVendor = await pair.procore.syncVendor({ origin_id: vendorOf(other), name: String(other.NAME1) });
    const handMade = await pair.procore.syncVendor({ origin_id: 'hand-made-vendor', name: 'Made in Procore' });

    // 1. A commitment from a PeopleSoft PO, linked as the PeopleSoft -> Procore PO flow leaves it.
    const poKey = `purchaseOrder:${String(po!.BUSINESS_UNIT)}/${String(po!.PO_ID)}`;
    const fromPs = await pair.procore.syncCommitment(projectIds[0]!, { origin_id: poKey, number: String(po!.PO_ID), vendor_id: procoreVendor.id, status: 'Approved' });
    await linkWithAudit(db.pool, { connectionId, sourceSystem: 'peoplesoft', sourceKey: poKey, targetSystem: 'procore' }, FLOW_PS_POS, commitmentKey(projectIds[0]!, fromPs.id), 'h', { connectionId, flow: FLOW_PS_POS, recordKey: poKey, direction: 'peoplesoft->procore', action: 'create', outcome: 'ok' });
    // 2. A commitment made in Procore on a PeopleSoft vendor: its webhook syncs it to a PeopleSoft PO right away.
    const inProcore = await procore.admin.addCommitment({ projectId: projectIds[1]!, vendorId: otherVendor.id, title: 'Formwork', lines: [{ amount: '5000.00', description: 'Forms' }] });
    const inbox = await peopleSoftProcoreInbox(ctx);
    expect(await inbox.handle(event(HANDLED_RESOURCES.commitments, projectIds[1]!, inProcore.id))).toMatchObject({ outcome: 'applied', flow: FLOW_PROCORE_POS });
    expect((await psAdmin.rows('purchaseOrder')).filter((p) => p.PO_ID === psPoIdOf(inProcore.id))).toHaveLength(1);
    // Our own commitment's webhook is recognised by its origin_id and writes nothing.
    expect(await inbox.handle(event(HANDLED_RESOURCES.commitments, projectIds[0]!, fromPs.id))).toMatchObject({ outcome: 'ignored' });
    // 3. A commitment on a vendor made by hand in Procore: not linked to any PeopleSoft PO.
    const unlinked = await procore.admin.addCommitment({ projectId: projectIds[0]!, vendorId: handMade.id, title: 'Scaffold', lines: [{ amount: '800.00', description: 'Scaffold' }] });

    const [r1, r2, r3, draft] = await procore.admin.addRequisitions([
      { projectId: projectIds[0]!, commitmentId: fromPs.id, lines: [{ workCompletedThisPeriod: '1234.56', materialsPresentlyStored: '0.44' }, { workCompletedThisPeriod: '0.00' }] },
      { projectId: projectIds[1]!, commitmentId: inProcore.id, lines: [{ workCompletedThisPeriod: '2500.10' }] },
      { projectId: projectIds[0]!, commitmentId: unlinked.id, lines: [{ workCompletedThisPeriod: '99.99' }] },
      { projectId: projectIds[0]!, commitmentId: fromPs.id, status: 'draft', lines: [{ workCompletedThisPeriod: '10.00' }] },
    ]);

    const first = await poll();
    expect(first).toMatchObject({ created: 2, waiting: 1, deadLettered: 0 });
    const waiting = await listWaiting(db.pool, connectionId, FLOW_REQUISITIONS);
    expect(waiting.map((w) => [w.record_key, w.missing_key])).toEqual([[requisitionKey(projectIds[0]!, r3!.id), commitmentKey(projectIds[0]!, unlinked.id)]]);
    expect(waiting[0]!.reason).toContain(`Procore commitment ${unlinked.id}`);

    const byId = new Map((await vouchers()).map((v) => [String(v.VOUCHER_ID), v]));
    const v1 = byId.get(voucherIdOf(procore.companyId, projectIds[0]!, r1!.id))!;
    expect(v1).toMatchObject({ BUSINESS_UNIT: po!.BUSINESS_UNIT, INVOICE_ID: invoiceIdOf(r1!.id), VENDOR_ID: po!.VENDOR_ID, APPR_STATUS: 'P' });
    // The zero line bills nothing and is left out; the other carries work + stored materials, to the cent.
    expect(v1.VOUCHER_LINE).toEqual([expect.objectContaining({ VOUCHER_LINE_NUM: 1, PO_ID: po!.PO_ID, BUSINESS_UNIT_PO: po!.BUSINESS_UNIT })]);
    expect(total([v1.GROSS_AMT])).toBe('1235');
    const v2 = byId.get(voucherIdOf(procore.companyId, projectIds[1]!, r2!.id))!;
    expect(v2).toMatchObject({ VENDOR_ID: other.VENDOR_ID, VOUCHER_LINE: [expect.objectContaining({ PO_ID: psPoIdOf(inProcore.id) })] });
    expect(total((v2.VOUCHER_LINE as Row[]).map((l) => l.MERCHANDISE_AMT))).toBe('2500.1');
    expect([...byId.values()].some((v) => v.INVOICE_ID === invoiceIdOf(draft!.id))).toBe(false);

    // The webhook of an already vouchered requisition, and a second poll, find it applied: no second voucher.
    expect(await inbox.handle(event(HANDLED_RESOURCES.requisitions, projectIds[0]!, r1!.id))).toMatchObject({ outcome: 'already_applied', flow: FLOW_REQUISITIONS });
    expect(await inbox.handle(event(HANDLED_RESOURCES.requisitions, projectIds[0]!, draft!.id))).toMatchObject({ outcome: 'ignored' });
    expect(await poll()).toMatchObject({ created: 0, unchanged: 2, waiting: 1 });

    // The user puts the unlinked commitment on a PeopleSoft vendor: its webhook makes the PO, the waiting requisition
    // then finds its PO (here through its own webhook; the next poll would do the same).
    await procore.admin.setCommitmentVendor(unlinked.id, procoreVendor.id);
    expect(await inbox.handle(event(HANDLED_RESOURCES.commitments, projectIds[0]!, unlinked.id))).toMatchObject({ outcome: 'applied' });
    expect(await inbox.handle(event(HANDLED_RESOURCES.requisitions, projectIds[0]!, r3!.id))).toMatchObject({ outcome: 'applied' });
    expect(await listWaiting(db.pool, connectionId, FLOW_REQUISITIONS)).toEqual([]);
    expect(await poll()).toMatchObject({ created: 0, unchanged: 3, waiting: 0 });
    const all = await vouchers();
    expect(all).toHaveLength(3);
    expect(all.find((v) => v.INVOICE_ID === invoiceIdOf(r3!.id))).toMatchObject({ VENDOR_ID: poVendor.VENDOR_ID, VOUCHER_LINE: [expect.objectContaining({ PO_ID: psPoIdOf(unlinked.id), MERCHANDISE_AMT: expect.anything() })] });
  }, 120_000);

  // Not a requisition, but the same stack: a PeopleSoft GL account row the inquiry's schema refuses is dead-lettered
  // by the cost code flow with what was wrong, never dropped from the window.
  it('dead-letters a GL account row PeopleSoft sends in an unreadable shape, next to the readable ones', async () => {
    await psAdmin.insertRow('glAccount', { SETID: 'SHARE', ACCOUNT: 'CC-OK', DESCR: 'Readable', EFF_STATUS: 'A' });
    await psAdmin.insertRow('glAccount', { SETID: 'SHARE', ACCOUNT: 991234, DESCR: 'Account keyed as a number' });
    const runtime = await costCodeFlow(ctx);
    const records = await runtime.fetchWindow(new Date(Date.now() - 86_400_000), new Date(Date.now() + 60_000));
    expect(records.map((r) => r.key)).toEqual(expect.arrayContaining(['glAccount:SHARE/CC-OK', 'glAccount:SHARE/991234']));
    const result = await applyRecords(db.pool, runtime, records, { connectionId, flow: FLOW_COST_CODES });
    expect(result.deadLettered).toBe(1);
    const dead = await listDeadLetters(db.pool, { connectionId, flow: FLOW_COST_CODES });
    expect(dead.map((d) => d.record_key)).toEqual(['glAccount:SHARE/991234']);
    expect(dead[0]!.error_message).toMatch(/does not match the inquiry's documented row/);
    expect(dead[0]!.error_message).toMatch(/ACCOUNT/);
  }, 60_000);
});
