import { isPartnerError, type PartnerError } from '../../core/partner-error';
import { memoryTokenStore } from '../../core/oauth-token-store';
import { RateLimiterRegistry } from '../http/rate-limiter';
import { startJiraSimulator, type RunningJiraSimulator } from '../../simulators/jira';
import { createServer } from 'node:http';
import { adfToText, createJiraConnector, signJiraBody, verifyJiraJwt, verifyJiraSignature, type JiraConnector } from '.';

/** The Jira connector against the simulator over real HTTP on 127.0.0.1. */
let sim: RunningJiraSimulator;
let jira: JiraConnector;
const FIELD_NAMES = ['External Key', 'Document Number', 'Vendor Name', 'Amount', 'Currency', 'Approval Status', 'Vendor Details'];
let ids: Record<string, string>;
let poType: string;

beforeAll(async () => {
  sim = await startJiraSimulator();
  jira = createJiraConnector(
    { siteUrl: sim.siteUrl, projectKey: 'PROC', auth: { method: 'basic', email: sim.world.user.email, apiToken: sim.world.user.apiToken } },
    { limiters: new RateLimiterRegistry() },
  );
  ids = (await jira.resolveFieldIds(FIELD_NAMES)).ids;
  poType = sim.world.issueTypes.find((t) => t.name === 'Purchase Order')!.id;
});
afterAll(() => sim.close());

async function caught(p: Promise<unknown>): Promise<PartnerError> {
  try {
    await p;
  } catch (err) {
    if (isPartnerError(err)) return err;
    throw err;
  }
  throw new Error('expected a PartnerError');
}

const newIssue = (key: string, extra: Record<string, unknown> = {}) =>
  jira.createIssue({ issueTypeId: poType, summary: `PO ${key}`, externalKey: key, keyFieldId: ids['External Key']!, propertyKey: 'mlc.record', fields: { [ids['Amount']!]: '1234.50', ...extra } });

describe('Jira connector', () => {
  it('resolves custom field ids by name and reports missing ones', async () => {
    expect(Object.keys(ids)).toHaveLength(FIELD_NAMES.length);
    expect(await jira.resolveFieldIds(['Amount', 'No Such Field'])).toMatchObject({ missing: ['No Such Field'] });
  });

  it('creates an issue with the record key as a property and in the key field, then edits it', async () => {
    const created = await newIssue('PS-C1', { duedate: '2026-12-31', [ids['Approval Status']!]: { value: 'Pending' } });
    const issue = await jira.getIssue(created.key, ['*all'], ['mlc.record']);
    expect(issue?.properties).toEqual({ 'mlc.record': { externalKey: 'PS-C1' } });
    expect(issue?.fields?.[ids['External Key']!]).toBe('PS-C1');
    expect(issue?.fields?.[ids['Amount']!]).toBe('1234.50');
    await jira.editIssue(created.key, { [ids['Vendor Name']!]: 'ACME SUPPLY' });
    expect((await jira.getIssue(created.key))?.fields?.[ids['Vendor Name']!]).toBe('ACME SUPPLY');
    expect(await jira.getIssue('PROC-999999')).toBeUndefined();
  });

  it("keeps Jira's error collection raw and names the field in the message", async () => {
    const err = await caught(jira.editIssue((await newIssue('PS-E1')).key, { description: 'not adf' }));
    expect(err.status).toBe(400);
    expect(err.decision.retry).toBe(false);
    expect(JSON.parse(err.rawBody!)).toEqual({ errorMessages: [], errors: { description: 'Operation value must be an Atlassian Document (see the Atlassian Document Format)' } });
    expect(err.message).toMatch(/description: Operation value must be an Atlassian Document/);
  });

  it('moves an issue by target status and reports a status the workflow cannot reach from where it stands', async () => {
    const { key } = await newIssue('PS-T1');
    expect(await jira.transitionToStatus(key, 'Pending Approval')).toEqual({ moved: true, transitionId: '11' });
    expect(await jira.transitionToStatus(key, 'pending approval', 'Pending Approval')).toEqual({ moved: false, already: true });
    const err = await caught(jira.transitionToStatus(key, 'Closed'));
    expect(err.code).toBe('JIRA_STATUS_UNREACHABLE');
    expect(err.decision.retry).toBe(false);
    expect(err.message).toMatch(/reachable: Approved, Denied/);
    expect(await jira.transitionToStatus(key, 'Approved')).toMatchObject({ moved: true });
  });

  it('adds comments as ADF', async () => {
    const { key } = await newIssue('PS-K1');
    await jira.addComment(key, 'Approved by JSMITH\nbudget ok');
    const comments = await jira.listComments(key);
    expect(comments.map((c) => adfToText(c.body))).toEqual(['Approved by JSMITH\nbudget ok']);
  });

  it('pages search/jql and finds a lost create by its key, bounded in time', async () => {
    const since = new Date(Date.now() - 120_000);
    for (let i = 0; i < 5; i += 1) await newIssue(`PS-S${i}`, { [ids['Vendor Name']!]: 'SEARCH VENDOR' });
    const cf = ids['Vendor Name']!.replace('customfield_', '');
    const pages: number[] = [];
    for await (const page of jira.searchIssues(`project = PROC AND cf[${cf}] ~ "SEARCH VENDOR"`, { maxResults: 2 })) pages.push(page.length);
    expect(pages).toEqual([2, 2, 1]);
    expect((await jira.findIssueByExternalKey(ids['External Key']!, 'PS-S3', since))?.fields?.[ids['External Key']!]).toBe('PS-S3');
    // PS-S3 is not PS-S: the phrase search is narrowed to the exact value.
    expect(await jira.findIssueByExternalKey(ids['External Key']!, 'PS-S', since)).toBeUndefined();
    expect(await jira.findIssueByExternalKey(ids['External Key']!, 'PS-S3', new Date(Date.now() + 3_600_000))).toBeUndefined();
  });

  it('paces writes to one issue below the per-issue limit instead of meeting 429s', async () => {
    const { key } = await newIssue('PS-P1');
    await sim.admin.resetRateLimitStats();
    await Promise.all(Array.from({ length: 25 }, (_, i) => jira.editIssue(key, { summary: `v${i}` })));
    expect((await sim.admin.rateLimitStats()).refused).toEqual({ 'jira-quota-global-based': 0, 'jira-burst-based': 0, 'jira-per-issue-on-write': 0 });
  });

  it('completes through a storm of burst-limit 429s (a tenant limit far below ours)', async () => {
    await sim.admin.setRateLimits({ readRps: 4 });
    await sim.admin.resetRateLimitStats();
    const created = await Promise.all(Array.from({ length: 16 }, (_, i) => newIssue(`PS-STORM-${i}`)));
    const stats = await sim.admin.rateLimitStats();
    await sim.admin.setRateLimits({ readRps: 100 });
    expect(new Set(created.map((c) => c.key)).size).toBe(16);
    expect(stats.refused['jira-burst-based']).toBeGreaterThan(0);
  });

  it('retries through a burst of 429s and verifies admin webhook signatures', async () => {
    await sim.admin.setFaults({ burst429: { count: 2, retryAfterSeconds: 0 } });
    expect((await newIssue('PS-B1')).key).toMatch(/^PROC-/);
    expect(verifyJiraSignature(Buffer.from('Hello World!'), "It's a Secret to Everybody", 'sha256=a4771c39fbe90f317c7824e83ddef3caae9cb3d976c214ace1f2937e133263c9')).toBe(true);
    expect(verifyJiraSignature(Buffer.from('Hello World?'), "It's a Secret to Everybody", signJiraBody('Hello World!', "It's a Secret to Everybody"))).toBe(false);
    expect(verifyJiraSignature(Buffer.from('x'), 's', 'sha256=zz')).toBe(false);
  });
});

describe('Jira connector over OAuth 2.0 (3LO)', () => {
  let app: { clientId: string; clientSecret: string };
  const oauthJira = (refreshToken: string, store = memoryTokenStore(), deps: { maxInlineWaitMs?: number } = {}) =>
    createJiraConnector(
      { siteUrl: sim.siteUrl, gatewayUrl: sim.gatewayUrl, tokenUrl: sim.tokenUrl, projectKey: 'PROC', auth: { method: 'oauth2', clientId: app.clientId, clientSecret: app.clientSecret, refreshToken } },
      { limiters: new RateLimiterRegistry(), tokenStore: store, ...deps },
    );
  beforeAll(async () => {
    app = await sim.admin.registerOAuthClient();
  });

  it('finds the cloudId, refreshes once for concurrent callers, and keeps the rotated refresh token', async () => {
    const grant = await sim.admin.authorizeOAuth(app.clientId);
    const store = memoryTokenStore();
    const a = oauthJira(grant.refreshToken, store);
    const before = (await sim.admin.oauthStats()).granted;
    await Promise.all([a.getFields(), a.getFields(), a.getFields()]);
    expect((await sim.admin.oauthStats()).granted - before).toBe(1);
    await sim.admin.advanceClock(3_600_000);
    // A second connector sharing the store finds the rotated refresh token there (the original one is spent).
    const b = oauthJira(grant.refreshToken, store);
    expect((await b.getFields()).length).toBeGreaterThan(0);
    expect((await sim.admin.oauthStats()).granted - before).toBe(2);
  });

  it('registers, lists, refreshes and deletes dynamic webhooks', async () => {
    const c = oauthJira((await sim.admin.authorizeOAuth(app.clientId)).refreshToken);
    const id = await c.registerWebhook({ url: 'http://127.0.0.1:9/hooks/jira', events: ['jira:issue_updated', 'jira:issue_deleted'], jqlFilter: 'project = PROC' });
    expect((await c.listWebhooks()).map((w) => w.id)).toContain(id);
    const expires = await c.refreshWebhooks([id]);
    expect(expires.getTime()).toBeGreaterThan((await sim.admin.now()).getTime() + 29 * 86_400_000);
    await c.deleteWebhooks([id]);
    expect((await c.listWebhooks()).map((w) => w.id)).not.toContain(id);
  });

  it('waits for the quota reset instead of retrying blindly when the points quota is exhausted', async () => {
    const c = oauthJira((await sim.admin.authorizeOAuth(app.clientId)).refreshToken, memoryTokenStore(), { maxInlineWaitMs: 1000 });
    await c.getFields();
    await sim.admin.setRateLimits({ pointsPerHour: 1 });
    await sim.admin.resetRateLimitStats();
    const err = await caught(c.getFields());
    await sim.admin.setRateLimits({ pointsPerHour: 65_000 });
    expect(err.code).toBe('JIRA_QUOTA_EXHAUSTED');
    expect(err.decision).toMatchObject({ retry: true });
    const wait = err.decision.retry ? (err.decision.waitMs ?? 0) : 0;
    expect(wait).toBeGreaterThan(0);
    // The reset is the simulator's next top of the hour; its clock runs ahead of ours by what earlier tests moved it.
    const simAhead = (await sim.admin.now()).getTime() - Date.now();
    expect(wait).toBeLessThanOrEqual(3_600_000 + simAhead);
    expect((await sim.admin.rateLimitStats()).refused['jira-quota-global-based']).toBe(1);
  });
});

describe('Jira webhook deliveries as the connector verifies them', () => {
  it('accepts the JWT of a dynamic webhook delivery signed with our client secret, and nothing else', async () => {
    const got: { auth: string | undefined; id: string | undefined }[] = [];
    const server = createServer((req, res) => {
      got.push({ auth: req.headers.authorization, id: req.headers['x-atlassian-webhook-identifier'] as string | undefined });
      req.resume();
      res.writeHead(200).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const app = await sim.admin.registerOAuthClient();
      const c = createJiraConnector(
        { siteUrl: sim.siteUrl, gatewayUrl: sim.gatewayUrl, tokenUrl: sim.tokenUrl, projectKey: 'PROC', auth: { method: 'oauth2', clientId: app.clientId, clientSecret: app.clientSecret, refreshToken: (await sim.admin.authorizeOAuth(app.clientId)).refreshToken } },
        { limiters: new RateLimiterRegistry() },
      );
      const port = (server.address() as { port: number }).port;
      await c.registerWebhook({ url: `http://127.0.0.1:${port}/hooks`, events: ['jira:issue_created'], jqlFilter: 'project = PROC' });
      await sim.admin.settings({ webhooks: { delivery: 'manual' } });
      await c.createIssue({ issueTypeId: poType, summary: 'hooked', externalKey: 'PS-H1', keyFieldId: ids['External Key']!, propertyKey: 'mlc.record', fields: {} });
      await sim.admin.flushDeliveries();
      const delivery = got.find((g) => g.auth?.startsWith('JWT '));
      expect(delivery?.id).toEqual(expect.any(String));
      expect(verifyJiraJwt(delivery?.auth, app.clientSecret)).toBe(true);
      expect(verifyJiraJwt(delivery?.auth, 'another secret')).toBe(false);
      expect(verifyJiraJwt(`${delivery?.auth}x`, app.clientSecret)).toBe(false);
      expect(verifyJiraJwt(undefined, app.clientSecret)).toBe(false);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
