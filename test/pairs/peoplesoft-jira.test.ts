import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { adfToText } from '../../connectors/jira';
import { getConnection, updateConnectionConfig } from '../../db/connections';
import { listAuditEvents } from '../../db/audit-events';
import { listDeadLetters } from '../../db/dead-letters';
import { getLinks } from '../../db/record-links';
import { FLOW_BY_KIND, recordKey } from '../../pairs/peoplesoft-jira/config';
import { webhookTarget } from '../../pairs/peoplesoft-jira/webhook-housekeeping';
import type { AdminIssue } from '../../simulators/jira/admin-client';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { testClient } from '../support/temporal';
import { eventually } from '../support/worker-process';
import { JiraPairScenario } from './jira-scenario';
import { approveVouchers, drainAppQuota, percent, refusals, vouchersAsExpected } from './jira-storms';

/**
 * 1,000 PeopleSoft documents (about a third each of POs, requisitions and vouchers) through the real engine into Jira,
 * over OAuth 2.0 (the traffic Jira's hourly points quota counts; the crash suite runs Basic auth).
 */
const N = Number(process.env.PAIR_TEST_RECORDS ?? 1_000);
const DAY = 86_400_000;
const COUNTS = { purchaseOrder: N - 2 * Math.floor(N / 3), requisition: Math.floor(N / 3), voucher: Math.floor(N / 3) };

describe('PeopleSoft -> Jira on real Temporal, PostgreSQL and both simulators', () => {
  let db: TestDatabase;
  let client: Client;
  let s: JiraPairScenario;
  const cf = (name: string) => s.field(name);
  const issueOf = async (key: string): Promise<AdminIssue> => {
    const list = (await s.issuesByKey()).get(key) ?? [];
    expect(list).toHaveLength(1);
    return list[0]!;
  };

  beforeAll(async () => {
    db = await createTestDatabase('pair-ps-jira');
    client = await testClient();
    s = new JiraPairScenario(client, db.pool);
    await s.setup(COUNTS, 'oauth2');
    await s.startWorker();
  }, 180_000);
  afterAll(async () => {
    await s?.stop();
    await client?.connection.close();
    await db?.drop();
  });

  it(`turns ${N} POs, requisitions and vouchers into exactly as many issues with the mapped fields`, async () => {
    const began = Date.now();
    await s.startWorkflow();
    await eventually(async () => (await s.status()).totals.polls >= 1 && (await s.status()).state === 'idle', 300_000, 'first poll');
    const seconds = (Date.now() - began) / 1000;
    const r = refusals(await s.jira.admin.requests());
    process.stdout.write(`[measure] ${N} PeopleSoft documents -> Jira issues in ${seconds.toFixed(1)} s = ${(N / seconds).toFixed(1)} issues/s; ${r.refused} of ${r.total} requests answered 429 (${percent(r.refused, r.total)}) ${JSON.stringify(r.byReason)}\n`);

    const issues = await s.issuesByKey();
    expect(issues.size).toBe(N);
    expect([...issues.values()].every((l) => l.length === 1)).toBe(true);
    expect(await listDeadLetters(db.pool, { connectionId: s.connectionId })).toEqual([]);

    const [voucher] = (await s.psAdmin.rows('voucher')).filter((r) => r.APPR_STATUS === 'A');
    const v = await issueOf(recordKey('voucher', String(voucher!.BUSINESS_UNIT), String(voucher!.VOUCHER_ID)));
    expect(v.fields[cf('Amount')]).toBe(Number(voucher!.GROSS_AMT).toFixed(2));
    expect(v.fields[cf('Currency')]).toBe('USD');
    expect(v.fields[cf('Document Number')]).toBe(voucher!.INVOICE_ID);
    expect(v.fields.duedate).toBe(voucher!.DUE_DT);
    expect((v.fields[cf('Approval Status')] as { value: string }).value).toBe('Approved');
    expect((v.fields.status as { name: string }).name).toBe('Approved');
    const vendor = (await s.psAdmin.rows('vendor')).find((r) => r.VENDOR_ID === voucher!.VENDOR_ID)!;
    expect(v.fields[cf('Vendor Name')]).toBe(vendor.NAME1);
    expect(adfToText(v.fields[cf('Vendor Details')])).toContain(String(vendor.NAME1));
    expect(v.properties['mlc.record']).toMatchObject({ externalKey: recordKey('voucher', String(voucher!.BUSINESS_UNIT), String(voucher!.VOUCHER_ID)) });
  }, 360_000);

  it('refreshes vendor master data on every issue of that vendor when only the vendor changed, writing nothing else', async () => {
    const [voucher] = await s.psAdmin.rows('voucher');
    const vendorId = String(voucher!.VENDOR_ID);
    const docs = [
      ...(await s.psAdmin.rows('purchaseOrder')).filter((r) => r.VENDOR_ID === vendorId).map((r) => recordKey('purchaseOrder', String(r.BUSINESS_UNIT), String(r.PO_ID))),
      ...(await s.psAdmin.rows('voucher')).filter((r) => r.VENDOR_ID === vendorId).map((r) => recordKey('voucher', String(r.BUSINESS_UNIT), String(r.VOUCHER_ID))),
    ];
    const issues = await s.issuesByKey();
    const ours = new Set(docs.map((k) => issues.get(k)![0]!.key));
    await s.psAdmin.updateRow('vendor', { SETID: 'SHARE', VENDOR_ID: vendorId }, { NAME1: 'Renamed Supplies Ltd', ADDRESS1: '1 New Street', CITY: 'Springfield', PYMNT_TERMS_CD: 'N45' });
    await s.jira.admin.clearRequests();
    await s.pollAndWait();
    const after = await s.issuesByKey();
    for (const k of docs) {
      const issue = after.get(k)![0]!;
      expect(issue.fields[cf('Vendor Name')]).toBe('Renamed Supplies Ltd');
      expect(adfToText(issue.fields[cf('Vendor Details')])).toMatch(/Renamed Supplies Ltd[\s\S]*1 New Street, Springfield[\s\S]*Payment terms: N45/);
      expect(String(issue.fields.summary)).toContain('Renamed Supplies Ltd');
    }
    // The payload hash keeps every other issue untouched: exactly the vendor's issues were edited, once each.
    const edits = (await s.jira.admin.requests()).filter((r) => r.method === 'PUT' && /^\/rest\/api\/3\/issue\/[A-Z]+-\d+$/.test(r.path));
    expect(edits.map((r) => r.path.split('/').pop()).sort()).toEqual([...ours].sort());
  }, 240_000);

  it('moves a changed status through the right transition and posts approval comments exactly once', async () => {
    const [pending] = (await s.psAdmin.rows('voucher')).filter((r) => r.APPR_STATUS === 'P');
    const key = recordKey('voucher', String(pending!.BUSINESS_UNIT), String(pending!.VOUCHER_ID));
    expect(((await issueOf(key)).fields.status as { name: string }).name).toBe('Pending Approval');
    const keys = { BUSINESS_UNIT: String(pending!.BUSINESS_UNIT), VOUCHER_ID: String(pending!.VOUCHER_ID) };
    await s.psAdmin.updateRow('voucher', keys, { APPR_STATUS: 'A', APPR_COMMENTS: [{ SEQ_NBR: 1, OPRID: 'JSMITH', COMMENTS: 'Budget confirmed' }] });
    await s.jira.admin.clearRequests();
    await s.pollAndWait();
    const moved = await issueOf(key);
    expect((moved.fields.status as { name: string }).name).toBe('Approved');
    const transitions = (await s.jira.admin.requests()).filter((r) => r.method === 'POST' && r.path.endsWith('/transitions'));
    expect(transitions.map((r) => (r.body as { transition: { id: string } }).transition.id)).toEqual(['21']);
    expect(moved.comments.map(adfToText)).toEqual([expect.stringContaining('JSMITH: Budget confirmed')]);
    // Another change rewrites the issue: the comment is not posted again.
    await s.psAdmin.updateRow('voucher', keys, { GROSS_AMT: 1234.5 });
    await s.pollAndWait();
    const again = await issueOf(key);
    expect(again.fields[cf('Amount')]).toBe('1234.50');
    expect(again.comments).toHaveLength(1);
  }, 240_000);

  it('reports a status the workflow cannot reach (dead letter with the reason) and does not retry it', async () => {
    const config = (await getConnection(db.pool, s.connectionId))!.config;
    await updateConnectionConfig(db.pool, s.connectionId, { ...config, via: {} });
    const [open] = (await s.psAdmin.rows('purchaseOrder')).filter((r) => r.PO_STATUS === 'I');
    await s.psAdmin.updateRow('purchaseOrder', { BUSINESS_UNIT: String(open!.BUSINESS_UNIT), PO_ID: String(open!.PO_ID) }, { PO_STATUS: 'C' });
    await s.pollAndWait();
    const letters = await listDeadLetters(db.pool, { connectionId: s.connectionId, flow: FLOW_BY_KIND.purchaseOrder });
    expect(letters.map((l) => l.error_code)).toEqual(['JIRA_STATUS_UNREACHABLE']);
    expect(letters[0]!.error_message).toMatch(/'Closed' is not reachable/);
    await s.jira.admin.clearRequests();
    await s.pollAndWait();
    expect((await s.jira.admin.requests()).filter((r) => r.method === 'POST' && r.path.endsWith('/transitions'))).toEqual([]);
    await updateConnectionConfig(db.pool, s.connectionId, config as Record<string, unknown>);
  }, 240_000);

  it('rejects deliveries with a bad signature and restores a field edited by hand', async () => {
    const body = JSON.stringify({ timestamp: Date.now(), webhookEvent: 'jira:issue_updated', issue: { id: '1', key: 'PROC-1', fields: {} } });
    const bad = await fetch(webhookTarget(s.apiUrl, s.connectionId), { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature': `sha256=${'0'.repeat(64)}`, 'x-atlassian-webhook-identifier': randomUUID() }, body });
    expect(bad.status).toBe(401);
    const unsigned = await fetch(webhookTarget(s.apiUrl, s.connectionId), { method: 'POST', headers: { 'content-type': 'application/json', 'x-atlassian-webhook-identifier': randomUUID() }, body });
    expect(unsigned.status).toBe(401);
    const forgedJwt = await fetch(webhookTarget(s.apiUrl, s.connectionId), { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'JWT eyJhbGciOiJIUzI1NiJ9.e30.forged', 'x-atlassian-webhook-identifier': randomUUID() }, body });
    expect(forgedJwt.status).toBe(401);

    const [req] = await s.psAdmin.rows('requisition');
    const key = recordKey('requisition', String(req!.BUSINESS_UNIT), String(req!.REQ_ID));
    const issue = await issueOf(key);
    const amount = issue.fields[cf('Amount')];
    await s.jira.admin.editIssue(issue.key, { [cf('Amount')]: '0.01' });
    await eventually(async () => (await issueOf(key)).fields[cf('Amount')] === amount, 60_000, 'the hand-edited amount restored');
  }, 120_000);

  it('notices a hand-deleted issue on the webhook and re-creates it from PeopleSoft at once, audited', async () => {
    const [req] = (await s.psAdmin.rows('requisition')).slice(-1);
    const key = recordKey('requisition', String(req!.BUSINESS_UNIT), String(req!.REQ_ID));
    const issue = await issueOf(key);
    await s.jira.admin.deleteIssue(issue.key);
    // No PeopleSoft change and no poll: the deletion's delivery alone brings the issue back.
    const created = await eventually(async () => {
      const list = (await s.issuesByKey()).get(key) ?? [];
      return list.length === 1 && list[0]!.key !== issue.key && list[0];
    }, 60_000, 'the deleted issue re-created');
    // The re-create is a create then a transition to PeopleSoft's status: compare once its audited apply has finished.
    const applied = await eventually(async () => {
      const audit = await listAuditEvents(db.pool, { connectionId: s.connectionId, recordKey: key });
      const rows = audit.filter((a) => a.action === 'apply' && a.outcome === 'ok' && a.target_id === created.key);
      return rows.length > 0 && rows;
    }, 60_000, 'the re-created issue audited as applied');
    expect(applied).toHaveLength(1);
    const restored = await issueOf(key);
    expect(restored.key).toBe(created.key);
    for (const f of ['summary', 'status', cf('Amount'), cf('Vendor Details'), cf('Approval Status')]) expect(restored.fields[f]).toEqual(issue.fields[f]);
    // The next write of the document updates the restored issue: still one issue.
    await s.psAdmin.updateRow('requisition', { BUSINESS_UNIT: String(req!.BUSINESS_UNIT), REQ_ID: String(req!.REQ_ID) }, { REQ_NAME: 'Renamed in PeopleSoft' });
    await s.pollAndWait();
    const after = await issueOf(key);
    expect(after.key).toBe(restored.key);
    expect(after.fields.summary).toContain('Renamed in PeopleSoft');
    const links = await getLinks(db.pool, { connectionId: s.connectionId, sourceSystem: 'peoplesoft', targetSystem: 'jira' }, [key]);
    expect(links.get(key)?.target_id).toBe(restored.key);
  }, 240_000);

  it('with onHandEdit report, audits a hand edit and a deletion as dead letters and writes nothing back', async () => {
    const config = (await getConnection(db.pool, s.connectionId))!.config;
    await updateConnectionConfig(db.pool, s.connectionId, { ...config, onHandEdit: 'report' });
    const [, edited, deleted] = await s.psAdmin.rows('requisition');
    const editedKey = recordKey('requisition', String(edited!.BUSINESS_UNIT), String(edited!.REQ_ID));
    const deletedKey = recordKey('requisition', String(deleted!.BUSINESS_UNIT), String(deleted!.REQ_ID));
    const editedIssue = await issueOf(editedKey);
    const deletedIssue = await issueOf(deletedKey);
    await s.jira.admin.editIssue(editedIssue.key, { [cf('Amount')]: '0.02' });
    await s.jira.admin.deleteIssue(deletedIssue.key);
    const letters = await eventually(async () => {
      const open = await listDeadLetters(db.pool, { connectionId: s.connectionId, flow: 'inbox' });
      return open.length >= 2 && open;
    }, 60_000, 'both hand changes reported');
    expect(letters.map((l) => [l.error_code, l.record_key]).sort()).toEqual([
      ['JIRA_HAND_EDIT', `jira:${editedIssue.key} ${editedKey}`],
      ['JIRA_ISSUE_DELETED', `jira:${deletedIssue.key} ${deletedKey}`],
    ]);
    expect(letters.find((l) => l.error_code === 'JIRA_HAND_EDIT')!.error_message).toMatch(/amount edited by hand/);
    const audit = await listAuditEvents(db.pool, { connectionId: s.connectionId, recordKey: `jira:${deletedIssue.key} ${deletedKey}` });
    expect(audit.map((a) => [a.action, a.error_code])).toEqual([['dead_letter', 'JIRA_ISSUE_DELETED']]);
    expect((await issueOf(editedKey)).fields[cf('Amount')]).toBe('0.02');
    expect((await s.issuesByKey()).get(deletedKey)).toBeUndefined();

    // Back to restore: the next write of each document puts PeopleSoft's data back (the deleted one re-created).
    await updateConnectionConfig(db.pool, s.connectionId, config as Record<string, unknown>);
    for (const [r, name] of [[edited!, 'Edited'], [deleted!, 'Deleted']] as const) {
      await s.psAdmin.updateRow('requisition', { BUSINESS_UNIT: String(r.BUSINESS_UNIT), REQ_ID: String(r.REQ_ID) }, { REQ_NAME: `${name} and restored` });
    }
    await s.pollAndWait();
    expect((await issueOf(editedKey)).fields[cf('Amount')]).toBe(editedIssue.fields[cf('Amount')]);
    expect((await issueOf(deletedKey)).fields.summary).toContain('Deleted and restored');
  }, 240_000);

  it('keeps its dynamic webhook alive: refreshed on the clock moved 29 days, registered again after it lapsed', async () => {
    const url = webhookTarget(s.apiUrl, s.connectionId);
    const ours = async () => (await s.jira.admin.webhooks()).dynamic.filter((h) => h.url === url);
    const [hook] = await ours();
    expect(hook).toBeDefined();
    await s.jira.admin.advanceClock(29 * DAY);
    await s.pollAndWait();
    const refreshed = await ours();
    expect(refreshed.map((h) => h.id)).toEqual([hook!.id]);
    expect(refreshed[0]!.expiresAtMs).toBeGreaterThan((await s.jira.admin.now()).getTime() + 29 * DAY);
    await s.jira.admin.advanceClock(31 * DAY);
    expect(await ours()).toEqual([]);
    await s.pollAndWait();
    const again = await ours();
    expect(again).toHaveLength(1);
    expect(again[0]!.id).not.toBe(hook!.id);
    // Deliveries come through the new registration: a hand edit is noticed and restored again.
    const [req] = (await s.psAdmin.rows('requisition')).slice(3, 4);
    const key = recordKey('requisition', String(req!.BUSINESS_UNIT), String(req!.REQ_ID));
    const amount = (await issueOf(key)).fields[cf('Amount')];
    await s.jira.admin.editIssue((await issueOf(key)).key, { [cf('Amount')]: '0.03' });
    await eventually(async () => (await issueOf(key)).fields[cf('Amount')] === amount, 60_000, 'the hand edit restored');
  }, 240_000);

  it('completes exact through 429 storms of each kind: per-second burst, per-issue writes, the hourly points quota', async () => {
    const before = (await listDeadLetters(db.pool, { connectionId: s.connectionId })).length;
    await s.jira.admin.clearRequests();
    const defaults: Parameters<typeof s.jira.admin.setRateLimits>[0] & object = { readRps: 100, writeRps: 50, perIssueWrites: [{ max: 20, windowMs: 2000 }, { max: 100, windowMs: 30_000 }], pointsPerHour: 65_000 };

    // Burst: a few requests per second per endpoint and method (Jira's are 100 GET/POST and 50 PUT/DELETE).
    await s.jira.admin.setRateLimits({ ...defaults, readRps: 4, writeRps: 2 });
    const burst = await approveVouchers(s, 10, 'burst');
    await s.pollAndWait();
    expect(await vouchersAsExpected(s, burst)).toEqual([]);

    // Per-issue writes, tighter than Jira's 20 per 2 s and 100 per 30 s (which the connector paces below on its own):
    // every issue's edit, transition and comment run into them.
    await s.jira.admin.setRateLimits({ ...defaults, perIssueWrites: [{ max: 1, windowMs: 2000 }, { max: 2, windowMs: 6000 }] });
    const perIssue = await approveVouchers(s, 6, 'per-issue');
    await s.pollAndWait();
    expect(await vouchersAsExpected(s, perIssue)).toEqual([]);

    const log = await s.jira.admin.requests();

    // The hourly points quota, used up by another installation of the app shortly before the simulator's hour ends:
    // the run meets 429s without a near-limit warning and waits for the reset (Retry-After) instead of retrying.
    const untilHour = async () => 3_600_000 - ((await s.jira.admin.now()).getTime() % 3_600_000);
    if ((await untilHour()) > 300_000) await s.jira.admin.advanceClock((await untilHour()) - 300_000);
    await s.jira.admin.setRateLimits({ ...defaults, pointsPerHour: 600 });
    await drainAppQuota(s);
    await s.jira.admin.clearRequests();
    const quota = await approveVouchers(s, 8, 'quota');
    // Still the drained hour, 15 s before its end: the poll's first Jira call (its webhook housekeeping) meets the
    // empty quota.
    await s.jira.admin.advanceClock((await untilHour()) - 15_000);
    await s.pollAndWait();
    expect(await vouchersAsExpected(s, quota)).toEqual([]);
    const quotaLog = await s.jira.admin.requests();
    const quota429 = quotaLog.filter((q) => q.status === 429);
    expect(quota429.length).toBeGreaterThan(0);
    for (const q of quota429) {
      expect(q.responseHeaders).toMatchObject({ 'ratelimit-reason': 'jira-quota-global-based', 'x-ratelimit-remaining': '0', 'x-ratelimit-limit': '600' });
      expect(Number(q.responseHeaders['retry-after'])).toBeGreaterThan(0);
      expect(Number.isNaN(Date.parse(q.responseHeaders['x-ratelimit-reset']!))).toBe(false);
    }
    await s.jira.admin.setRateLimits(defaults);

    const r = refusals([...log, ...quotaLog]);
    process.stdout.write(`[measure] 429 storms: ${r.refused} of ${r.total} requests answered 429 (${percent(r.refused, r.total)}) ${JSON.stringify(r.byReason)}\n`);
    expect(Object.keys(r.byReason).sort()).toEqual(['jira-burst-based', 'jira-per-issue-on-write', 'jira-quota-global-based']);
    const issues = await s.issuesByKey();
    expect(issues.size).toBe(N);
    expect([...issues.values()].filter((l) => l.length > 1)).toEqual([]);
    expect(await listDeadLetters(db.pool, { connectionId: s.connectionId })).toHaveLength(before);
  }, 300_000);
});
