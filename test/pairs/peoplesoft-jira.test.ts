import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { adfToText } from '../../connectors/jira';
import { getConnection, updateConnectionConfig } from '../../db/connections';
import { listDeadLetters } from '../../db/dead-letters';
import { FLOW_BY_KIND, recordKey } from '../../pairs/peoplesoft-jira/config';
import { webhookTarget } from '../../pairs/peoplesoft-jira/webhook-housekeeping';
import type { AdminIssue } from '../../simulators/jira/admin-client';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { testClient } from '../support/temporal';
import { eventually } from '../support/worker-process';
import { JiraPairScenario } from './jira-scenario';

/** 1,000 PeopleSoft documents (about a third each of POs, requisitions and vouchers) through the real engine into Jira. */
const N = Number(process.env.PAIR_TEST_RECORDS ?? 1_000);
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
    await s.setup(COUNTS);
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
    const limits = await s.jira.admin.rateLimitStats();
    const refused = Object.values(limits.refused).reduce((a, b) => a + b, 0);
    process.stdout.write(`[measure] ${N} PeopleSoft documents -> Jira issues in ${seconds.toFixed(1)} s = ${((N) / seconds).toFixed(1)} issues/s; ${refused} of ${limits.requests} requests answered 429 (${((100 * refused) / limits.requests).toFixed(2)}%)\n`);

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

    const [req] = await s.psAdmin.rows('requisition');
    const key = recordKey('requisition', String(req!.BUSINESS_UNIT), String(req!.REQ_ID));
    const issue = await issueOf(key);
    const amount = issue.fields[cf('Amount')];
    await s.jira.admin.editIssue(issue.key, { [cf('Amount')]: '0.01' });
    await eventually(async () => (await issueOf(key)).fields[cf('Amount')] === amount, 60_000, 'the hand-edited amount restored');
  }, 120_000);

  it('re-creates a hand-deleted issue from PeopleSoft on the next write', async () => {
    const [req] = (await s.psAdmin.rows('requisition')).slice(-1);
    const key = recordKey('requisition', String(req!.BUSINESS_UNIT), String(req!.REQ_ID));
    const issue = await issueOf(key);
    await s.jira.admin.deleteIssue(issue.key);
    await s.psAdmin.updateRow('requisition', { BUSINESS_UNIT: String(req!.BUSINESS_UNIT), REQ_ID: String(req!.REQ_ID) }, { REQ_NAME: 'Renamed in PeopleSoft' });
    await s.pollAndWait();
    const restored = await issueOf(key);
    expect(restored.key).not.toBe(issue.key);
    expect(restored.fields.summary).toContain('Renamed in PeopleSoft');
  }, 240_000);
});
