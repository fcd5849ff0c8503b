import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startJiraSimulator, type RunningJiraSimulator } from '.';

/** The simulator against Jira Cloud's documented behaviour, over real HTTP (no connector involved). */
let sim: RunningJiraSimulator;
let basic: string;
const DAY = 86_400_000;

async function call(method: string, path: string, body?: unknown, auth = basic): Promise<{ status: number; headers: Headers; json: unknown }> {
  const res = await fetch(`${sim.siteUrl}${path}`, { method, headers: { Authorization: auth, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text === '' ? undefined : JSON.parse(text) };
}

const typeId = (name: string) => sim.world.issueTypes.find((t) => t.name === name)!.id;
const cf = (name: string) => sim.world.customFields.find((f) => f.name === name)!.id;
const adf = (text: string) => ({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });

async function create(summary: string, extra: Record<string, unknown> = {}): Promise<{ id: string; key: string }> {
  const res = await call('POST', '/rest/api/3/issue', { fields: { project: { key: 'PROC' }, issuetype: { id: typeId('Purchase Order') }, summary, ...extra } });
  expect(res.status).toBe(201);
  return res.json as { id: string; key: string };
}

beforeAll(async () => {
  sim = await startJiraSimulator();
  basic = `Basic ${Buffer.from(`${sim.world.user.email}:${sim.world.user.apiToken}`).toString('base64')}`;
});
afterAll(() => sim.close());

describe('Jira simulator', () => {
  it('creates issues with properties atomically and refuses non-ADF rich text with Jira error bodies', async () => {
    const issue = await create('PO 1', { [cf('External Key')]: 'PS-1', description: adf('d') });
    const prop = await call('GET', `/rest/api/3/issue/${issue.key}/properties/mlc`);
    expect(prop.status).toBe(404);
    const withProp = await call('POST', '/rest/api/3/issue', { fields: { project: { key: 'PROC' }, issuetype: { id: typeId('Requisition') }, summary: 'R' }, properties: [{ key: 'mlc', value: { k: 1 } }] });
    expect((await call('GET', `/rest/api/3/issue/${(withProp.json as { key: string }).key}/properties/mlc`)).json).toEqual({ key: 'mlc', value: { k: 1 } });

    const bad = await call('POST', '/rest/api/3/issue', { fields: { project: { key: 'PROC' }, issuetype: { id: typeId('Purchase Order') }, summary: 'x', description: 'plain' } });
    expect(bad).toMatchObject({ status: 400, json: { errorMessages: [], errors: { description: 'Operation value must be an Atlassian Document (see the Atlassian Document Format)' } } });
    const comment = await call('POST', `/rest/api/3/issue/${issue.key}/comment`, { body: 'plain' });
    expect(comment).toMatchObject({ status: 400, json: { errorMessages: [], errors: { comment: 'Comment body is not valid!' } } });
    expect((await call('POST', `/rest/api/3/issue/${issue.key}/comment`, { body: adf('ok') })).status).toBe(201);
    const missing = await call('POST', '/rest/api/3/issue', { fields: { project: { key: 'NOPE' } } });
    expect(missing.json).toMatchObject({ errors: { project: expect.any(String), summary: 'You must specify a summary of the issue.' } });
  });

  it('offers only the transitions of the current status and refuses others', async () => {
    const issue = await create('PO 2');
    const names = async () => ((await call('GET', `/rest/api/3/issue/${issue.key}/transitions`)).json as { transitions: { to: { name: string } }[] }).transitions.map((t) => t.to.name);
    expect(await names()).toEqual(['Pending Approval']);
    const close = await call('POST', `/rest/api/3/issue/${issue.key}/transitions`, { transition: { id: '41' } });
    expect(close).toMatchObject({ status: 400, json: { errorMessages: ["Transition id '41' is not valid for this issue."] } });
    expect((await call('POST', `/rest/api/3/issue/${issue.key}/transitions`, { transition: { id: '11' } })).status).toBe(204);
    expect(await names()).toEqual(['Approved', 'Denied']);
  });

  it('pages search/jql with nextPageToken and no total, refuses unbounded JQL, and answers 410 on the removed search', async () => {
    for (let i = 0; i < 7; i += 1) await create(`paged ${i}`, { [cf('Vendor Name')]: 'PAGED VENDOR' });
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const res = await call('POST', '/rest/api/3/search/jql', { jql: `project = PROC AND cf[${cf('Vendor Name').split('_')[1]}] ~ "PAGED VENDOR"`, maxResults: 3, fields: ['summary'], ...(token ? { nextPageToken: token } : {}) });
      const page = res.json as { issues: { key: string; fields: { summary: string } }[]; nextPageToken?: string; isLast: boolean; total?: number };
      expect(page.total).toBeUndefined();
      seen.push(...page.issues.map((i) => i.fields.summary));
      token = page.nextPageToken;
    } while (token);
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `paged ${i}`));
    expect((await call('POST', '/rest/api/3/search/jql', { jql: '' })).json).toEqual({ errorMessages: ['Unbounded JQL queries are not allowed here. Please add a search restriction to your query.'], errors: {} });
    expect((await call('POST', '/rest/api/3/search/jql', { jql: `cf[${cf('Vendor Name').split('_')[1]}] = "x"` })).status).toBe(400);
    for (const method of ['GET', 'POST']) {
      const old = await call(method, '/rest/api/3/search', method === 'POST' ? { jql: 'project = PROC' } : undefined);
      expect(old.status).toBe(410);
      expect((old.json as { errorMessages: string[] }).errorMessages[0]).toMatch(/search\/jql/);
    }
  });

  it('answers 429 with the documented headers for per-issue writes and an exhausted points quota', async () => {
    const issue = await create('hot issue');
    const statuses: number[] = [];
    let last: Headers | undefined;
    for (let i = 0; i < 21; i += 1) {
      const r = await call('PUT', `/rest/api/3/issue/${issue.key}`, { fields: { summary: `v${i}` } });
      statuses.push(r.status);
      last = r.headers;
    }
    expect(statuses.filter((s) => s === 204)).toHaveLength(20);
    expect(statuses[20]).toBe(429);
    expect(last?.get('ratelimit-reason')).toBe('jira-per-issue-on-write');
    expect(Number(last?.get('retry-after'))).toBeGreaterThanOrEqual(1);

    const app = await sim.admin.registerOAuthClient();
    const grant = await sim.admin.authorizeOAuth(app.clientId);
    await sim.admin.setRateLimits({ pointsPerHour: 11 });
    const bearer = `Bearer ${grant.accessToken}`;
    const get = () => fetch(`${sim.gatewayUrl}/ex/jira/${sim.world.cloudId}/rest/api/3/field`, { headers: { Authorization: bearer } });
    const answers: Response[] = [];
    for (let i = 0; i < 6; i += 1) answers.push(await get());
    // A GET costs 2 points (1 + the object read): 5 fit in 11, the 6th does not.
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 429]);
    expect(answers[0]!.headers.get('x-ratelimit-remaining')).toBe('9');
    expect(answers[0]!.headers.get('x-ratelimit-nearlimit')).toBeNull();
    expect(answers[4]!.headers.get('x-ratelimit-nearlimit')).toBe('true');
    const refused = answers[5]!;
    expect(refused.status).toBe(429);
    expect(refused.headers.get('ratelimit-reason')).toBe('jira-quota-global-based');
    expect(Date.parse(refused.headers.get('x-ratelimit-reset') ?? '') % 3_600_000).toBe(0);
    // API-token traffic is not affected by the points quota.
    expect((await call('GET', '/rest/api/3/field')).status).toBe(200);
    await sim.admin.setRateLimits({ pointsPerHour: 65_000 });
  });

  it('expires access tokens and rotates refresh tokens', async () => {
    const app = await sim.admin.registerOAuthClient();
    const grant = await sim.admin.authorizeOAuth(app.clientId);
    const token = async (rt: string) => fetch(sim.tokenUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ grant_type: 'refresh_token', client_id: app.clientId, client_secret: app.clientSecret, refresh_token: rt }) });
    const first = (await (await token(grant.refreshToken)).json()) as { access_token: string; refresh_token: string };
    expect(first.refresh_token).not.toBe(grant.refreshToken);
    expect((await token(grant.refreshToken)).status).toBe(403);
    const resources = (await (await fetch(`${sim.gatewayUrl}/oauth/token/accessible-resources`, { headers: { Authorization: `Bearer ${first.access_token}` } })).json()) as { id: string }[];
    expect(resources[0]?.id).toBe(sim.world.cloudId);
    await sim.admin.advanceClock(3_600_000);
    const expired = await fetch(`${sim.gatewayUrl}/ex/jira/${sim.world.cloudId}/rest/api/3/myself`, { headers: { Authorization: `Bearer ${first.access_token}` } });
    expect(expired.status).toBe(401);
    await sim.admin.settings({ auth: { apiTokenExpiresAtMs: (await sim.admin.now()).getTime() } });
    expect((await call('GET', '/rest/api/3/myself')).json).toEqual({ errorMessages: ['The API token used has expired.'], errors: {} });
    await sim.admin.settings({ auth: { apiTokenExpiresAtMs: null } });
  });

  it('expires every live access token at once on the admin call; the newest refresh token gets a new pair', async () => {
    const app = await sim.admin.registerOAuthClient();
    const grant = await sim.admin.authorizeOAuth(app.clientId);
    const refresh = async (rt: string) => (await (await fetch(sim.tokenUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ grant_type: 'refresh_token', client_id: app.clientId, client_secret: app.clientSecret, refresh_token: rt }) })).json()) as { access_token: string; refresh_token: string };
    const myself = async (token: string) => (await fetch(`${sim.gatewayUrl}/ex/jira/${sim.world.cloudId}/rest/api/3/myself`, { headers: { Authorization: `Bearer ${token}` } })).status;
    const first = await refresh(grant.refreshToken);
    expect(await myself(first.access_token)).toBe(200);
    expect((await sim.admin.expireOAuthTokens()).expired).toBeGreaterThanOrEqual(2);
    expect(await myself(first.access_token)).toBe(401);
    expect(await myself(grant.accessToken)).toBe(401);
    expect(await myself((await refresh(first.refresh_token)).access_token)).toBe(200);
    expect(await sim.admin.expireOAuthTokens()).toEqual({ expired: 1 });
  });
});

describe('Jira simulator webhooks', () => {
  let receiver: Server;
  let url = '';
  let status = 200;
  const got: { headers: IncomingHttpHeaders; body: string }[] = [];
  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        got.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    await sim.admin.settings({ webhooks: { delivery: 'manual' } });
  });
  afterAll(() => new Promise((r) => receiver.close(r)));

  it('signs admin webhook deliveries and retries failures with the same identifier', async () => {
    await sim.admin.createAdminWebhook({ url, events: ['jira:issue_created'], secret: 'It\'s a Secret to Everybody', jqlFilter: 'project = PROC' });
    got.length = 0;
    status = 503;
    await create('hooked');
    await sim.admin.flushDeliveries();
    status = 200;
    await sim.admin.advanceClock(60_000);
    expect(got.length).toBe(2);
    const [a, b] = got;
    expect(a!.headers['x-atlassian-webhook-identifier']).toBe(b!.headers['x-atlassian-webhook-identifier']);
    expect(a!.headers['x-atlassian-webhook-retry']).toBeUndefined();
    expect(b!.headers['x-atlassian-webhook-retry']).toBe('1');
    expect(b!.headers['x-hub-signature']).toBe(`sha256=${createHmac('sha256', "It's a Secret to Everybody").update(b!.body).digest('hex')}`);
  });

  it('lets dynamic webhooks expire after 30 days unless refreshed, for OAuth apps only', async () => {
    const app = await sim.admin.registerOAuthClient();
    // A token that outlives the 31 simulated days, so only the webhooks age.
    await sim.admin.settings({ oauth: { accessTokenTtlSeconds: 100 * 86_400 } });
    const fresh = await sim.admin.authorizeOAuth(app.clientId);
    const api = (method: string, path: string, body?: unknown) =>
      fetch(`${sim.gatewayUrl}/ex/jira/${sim.world.cloudId}/rest/api/3${path}`, { method, headers: { Authorization: `Bearer ${fresh.accessToken}`, 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    expect((await call('POST', '/rest/api/3/webhook', { url, webhooks: [{ events: ['jira:issue_created'], jqlFilter: 'project = PROC' }] })).status).toBe(403);
    const reg = (await (await api('POST', '/webhook', { url, webhooks: [{ events: ['jira:issue_created'], jqlFilter: 'project = PROC' }, { events: ['jira:issue_updated'], jqlFilter: 'project = PROC' }] })).json()) as { webhookRegistrationResult: { createdWebhookId: number }[] };
    const [keep, lapse] = reg.webhookRegistrationResult.map((r) => r.createdWebhookId);
    await sim.admin.advanceClock(29 * DAY);
    const before = (await sim.admin.now()).getTime();
    const refreshed = (await (await api('PUT', '/webhook/refresh', { webhookIds: [keep, 999_999] })).json()) as { expirationDate: number };
    expect(refreshed.expirationDate).toBeGreaterThanOrEqual(before + 30 * DAY);
    expect(refreshed.expirationDate).toBeLessThanOrEqual((await sim.admin.now()).getTime() + 30 * DAY);
    await sim.admin.advanceClock(2 * DAY);
    const list = (await (await api('GET', '/webhook')).json()) as { values: { id: number }[] };
    expect(list.values.map((v) => v.id)).toEqual([keep]);
    expect(lapse).toBeDefined();
  });
});
