import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { createApp } from '../../api/app';
import { adfToText } from '../../connectors/jira';
import { statusQuery } from '../../core/sync-messages';
import { syncStartOptions } from '../../core/sync-start';
import type { SyncStatus } from '../../core/sync-types';
import { getConnection, insertConnection, putCredentials, updateConnectionConfig } from '../../db/connections';
import { CredentialCipher } from '../../db/credential-cipher';
import { listDeadLetters } from '../../db/dead-letters';
import { pairOf, syncInputFor } from '../../pairs/derive';
import { FLOW_BY_KIND, PAIR, recordKey } from '../../pairs/peoplesoft-jira/config';
import { jiraPairConfig } from '../../pairs/peoplesoft-jira/demo-world';
import { webhookTarget } from '../../pairs/peoplesoft-jira/webhook-housekeeping';
import { createLogger } from '../../core/logger';
import { startJiraSimulator, type RunningJiraSimulator } from '../../simulators/jira';
import type { AdminIssue } from '../../simulators/jira/admin-client';
import { DEMO_OPRID, DEMO_PASSWORD, startPeopleSoftSimulator } from '../../simulators/peoplesoft';
import { PeopleSoftSimAdmin } from '../../simulators/peoplesoft/admin-client';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { testMasterKey } from '../support/env';
import { testClient, uniqueTaskQueue } from '../support/temporal';
import { eventually, type WorkerProcess } from '../support/worker-process';
import { startProductWorker } from './pair-harness';

/** 1,000 PeopleSoft documents (about a third each of POs, requisitions and vouchers) through the real engine into Jira. */
const N = Number(process.env.PAIR_TEST_RECORDS ?? 1_000);
const COUNTS = { purchaseOrder: N - 2 * Math.floor(N / 3), requisition: Math.floor(N / 3), voucher: Math.floor(N / 3) };

describe('PeopleSoft -> Jira on real Temporal, PostgreSQL and both simulators', () => {
  let db: TestDatabase;
  let client: Client;
  let ps: Awaited<ReturnType<typeof startPeopleSoftSimulator>>;
  let psAdmin: PeopleSoftSimAdmin;
  let jira: RunningJiraSimulator;
  let api: Server;
  let apiUrl = '';
  let worker: WorkerProcess | undefined;
  let handle: WorkflowHandle;
  const connectionId = `jira-${randomUUID().slice(0, 8)}`;
  const masterKey = testMasterKey();
  const taskQueue = uniqueTaskQueue('pair-jira');
  const secret = randomBytes(24).toString('hex');
  const cf = (name: string) => jira.world.customFields.find((f) => f.name === name)!.id;
  const status = (): Promise<SyncStatus> => handle.query(statusQuery);
  const byKey = async (): Promise<Map<string, AdminIssue[]>> => {
    const out = new Map<string, AdminIssue[]>();
    for (const i of await jira.admin.issues()) {
      const k = String(i.fields[cf('External Key')]);
      out.set(k, [...(out.get(k) ?? []), i]);
    }
    return out;
  };
  const issueOf = async (key: string): Promise<AdminIssue> => {
    const list = (await byKey()).get(key) ?? [];
    expect(list).toHaveLength(1);
    return list[0]!;
  };
  const pollAndWait = async (): Promise<SyncStatus> => {
    const before = (await status()).totals.polls;
    await handle.signal('pollNow');
    return eventually(async () => {
      const s = await status();
      return s.totals.polls > before && s.state === 'idle' && s;
    }, 120_000, 'a finished poll');
  };

  beforeAll(async () => {
    db = await createTestDatabase('pair-ps-jira');
    client = await testClient();
    ps = await startPeopleSoftSimulator({ port: 0 });
    psAdmin = new PeopleSoftSimAdmin(ps.baseUrl);
    await psAdmin.setConfig({ slowQuery: { msPerDay: 0, maxMs: 0 } });
    await psAdmin.seed({ recordsPerObject: 0, counts: { vendor: 25, ...COUNTS } });
    jira = await startJiraSimulator();
    const app = createApp({ pool: db.pool, temporal: client, logger: createLogger('silent', 'api'), taskQueue, masterKey });
    api = createServer(app);
    await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
    apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
    const cipher = new CredentialCipher(masterKey);
    await insertConnection(db.pool, { id: connectionId, customerId: 'acme-procurement', pair: PAIR, config: jiraPairConfig(ps.baseUrl, jira.siteUrl, apiUrl) as Record<string, unknown> });
    await putCredentials(db.pool, cipher, connectionId, 'peoplesoft', { method: 'basic', oprid: DEMO_OPRID, password: DEMO_PASSWORD });
    await putCredentials(db.pool, cipher, connectionId, 'jira', { method: 'basic', email: jira.world.user.email, apiToken: jira.world.user.apiToken });
    await putCredentials(db.pool, cipher, connectionId, 'jiraWebhook', { secret });
    await jira.admin.createAdminWebhook({ url: webhookTarget(apiUrl, connectionId), events: ['jira:issue_updated', 'jira:issue_deleted'], secret, jqlFilter: 'project = PROC' });
    worker = await startProductWorker({ pool: db.pool, taskQueue, masterKey });
  }, 180_000);
  afterAll(async () => {
    await handle?.terminate('test finished').catch(() => undefined);
    await worker?.stop();
    await new Promise((r) => api?.close(r));
    await jira?.close();
    await ps?.close();
    await client?.connection.close();
    await db?.drop();
  });

  it(`turns ${N} POs, requisitions and vouchers into exactly as many issues with the mapped fields`, async () => {
    const began = Date.now();
    const connection = (await getConnection(db.pool, connectionId))!;
    handle = await client.workflow.start(pairOf(PAIR).workflowType, syncStartOptions(syncInputFor(connection), taskQueue));
    await eventually(async () => (await status()).totals.polls >= 1 && (await status()).state === 'idle', 300_000, 'first poll');
    const seconds = (Date.now() - began) / 1000;
    const limits = await jira.admin.rateLimitStats();
    const refused = Object.values(limits.refused).reduce((a, b) => a + b, 0);
    process.stdout.write(`[measure] ${N} PeopleSoft documents -> Jira issues in ${seconds.toFixed(1)} s = ${((N) / seconds).toFixed(1)} issues/s; ${refused} of ${limits.requests} requests answered 429 (${((100 * refused) / limits.requests).toFixed(2)}%)\n`);

    const issues = await byKey();
    expect(issues.size).toBe(N);
    expect([...issues.values()].every((l) => l.length === 1)).toBe(true);
    expect(await listDeadLetters(db.pool, { connectionId })).toEqual([]);

    const [voucher] = (await psAdmin.rows('voucher')).filter((r) => r.APPR_STATUS === 'A');
    const v = await issueOf(recordKey('voucher', String(voucher!.BUSINESS_UNIT), String(voucher!.VOUCHER_ID)));
    expect(v.fields[cf('Amount')]).toBe(Number(voucher!.GROSS_AMT).toFixed(2));
    expect(v.fields[cf('Currency')]).toBe('USD');
    expect(v.fields[cf('Document Number')]).toBe(voucher!.INVOICE_ID);
    expect(v.fields.duedate).toBe(voucher!.DUE_DT);
    expect((v.fields[cf('Approval Status')] as { value: string }).value).toBe('Approved');
    expect((v.fields.status as { name: string }).name).toBe('Approved');
    const vendor = (await psAdmin.rows('vendor')).find((r) => r.VENDOR_ID === voucher!.VENDOR_ID)!;
    expect(v.fields[cf('Vendor Name')]).toBe(vendor.NAME1);
    expect(adfToText(v.fields[cf('Vendor Details')])).toContain(String(vendor.NAME1));
    expect(v.properties['mlc.record']).toMatchObject({ externalKey: recordKey('voucher', String(voucher!.BUSINESS_UNIT), String(voucher!.VOUCHER_ID)) });
  }, 360_000);

  it('moves a changed status through the right transition and posts approval comments exactly once', async () => {
    const [pending] = (await psAdmin.rows('voucher')).filter((r) => r.APPR_STATUS === 'P');
    const key = recordKey('voucher', String(pending!.BUSINESS_UNIT), String(pending!.VOUCHER_ID));
    expect(((await issueOf(key)).fields.status as { name: string }).name).toBe('Pending Approval');
    const keys = { BUSINESS_UNIT: String(pending!.BUSINESS_UNIT), VOUCHER_ID: String(pending!.VOUCHER_ID) };
    await psAdmin.updateRow('voucher', keys, { APPR_STATUS: 'A', APPR_COMMENTS: [{ SEQ_NBR: 1, OPRID: 'JSMITH', COMMENTS: 'Budget confirmed' }] });
    await jira.admin.clearRequests();
    await pollAndWait();
    const moved = await issueOf(key);
    expect((moved.fields.status as { name: string }).name).toBe('Approved');
    const transitions = (await jira.admin.requests()).filter((r) => r.method === 'POST' && r.path.endsWith('/transitions'));
    expect(transitions.map((r) => (r.body as { transition: { id: string } }).transition.id)).toEqual(['21']);
    expect(moved.comments.map(adfToText)).toEqual([expect.stringContaining('JSMITH: Budget confirmed')]);
    // Another change rewrites the issue: the comment is not posted again.
    await psAdmin.updateRow('voucher', keys, { GROSS_AMT: 1234.5 });
    await pollAndWait();
    const again = await issueOf(key);
    expect(again.fields[cf('Amount')]).toBe('1234.50');
    expect(again.comments).toHaveLength(1);
  }, 240_000);

  it('reports a status the workflow cannot reach (dead letter with the reason) and does not retry it', async () => {
    const config = (await getConnection(db.pool, connectionId))!.config;
    await updateConnectionConfig(db.pool, connectionId, { ...config, via: {} });
    const [open] = (await psAdmin.rows('purchaseOrder')).filter((r) => r.PO_STATUS === 'I');
    await psAdmin.updateRow('purchaseOrder', { BUSINESS_UNIT: String(open!.BUSINESS_UNIT), PO_ID: String(open!.PO_ID) }, { PO_STATUS: 'C' });
    await pollAndWait();
    const letters = await listDeadLetters(db.pool, { connectionId, flow: FLOW_BY_KIND.purchaseOrder });
    expect(letters.map((l) => l.error_code)).toEqual(['JIRA_STATUS_UNREACHABLE']);
    expect(letters[0]!.error_message).toMatch(/'Closed' is not reachable/);
    await jira.admin.clearRequests();
    await pollAndWait();
    expect((await jira.admin.requests()).filter((r) => r.method === 'POST' && r.path.endsWith('/transitions'))).toEqual([]);
    await updateConnectionConfig(db.pool, connectionId, config as Record<string, unknown>);
  }, 240_000);

  it('rejects deliveries with a bad signature and restores a field edited by hand', async () => {
    const body = JSON.stringify({ timestamp: Date.now(), webhookEvent: 'jira:issue_updated', issue: { id: '1', key: 'PROC-1', fields: {} } });
    const bad = await fetch(webhookTarget(apiUrl, connectionId), { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature': `sha256=${'0'.repeat(64)}`, 'x-atlassian-webhook-identifier': randomUUID() }, body });
    expect(bad.status).toBe(401);
    const unsigned = await fetch(webhookTarget(apiUrl, connectionId), { method: 'POST', headers: { 'content-type': 'application/json', 'x-atlassian-webhook-identifier': randomUUID() }, body });
    expect(unsigned.status).toBe(401);

    const [req] = await psAdmin.rows('requisition');
    const key = recordKey('requisition', String(req!.BUSINESS_UNIT), String(req!.REQ_ID));
    const issue = await issueOf(key);
    const amount = issue.fields[cf('Amount')];
    await jira.admin.editIssue(issue.key, { [cf('Amount')]: '0.01' });
    await eventually(async () => (await issueOf(key)).fields[cf('Amount')] === amount, 60_000, 'the hand-edited amount restored');
  }, 120_000);

  it('re-creates a hand-deleted issue from PeopleSoft on the next write', async () => {
    const [req] = (await psAdmin.rows('requisition')).slice(-1);
    const key = recordKey('requisition', String(req!.BUSINESS_UNIT), String(req!.REQ_ID));
    const issue = await issueOf(key);
    await jira.admin.deleteIssue(issue.key);
    await psAdmin.updateRow('requisition', { BUSINESS_UNIT: String(req!.BUSINESS_UNIT), REQ_ID: String(req!.REQ_ID) }, { REQ_NAME: 'Renamed in PeopleSoft' });
    await pollAndWait();
    const restored = await issueOf(key);
    expect(restored.key).not.toBe(issue.key);
    expect(restored.fields.summary).toContain('Renamed in PeopleSoft');
  }, 240_000);
});
