import { RateLimiterRegistry } from '../../connectors/http/rate-limiter';
import { createJiraConnector } from '../../connectors/jira';
import { startJiraSimulator, type RunningJiraSimulator } from '../../simulators/jira';
import { JiraContract } from './jira-openapi';

/**
 * Every request the Jira connector sends and every answer the simulator gives, checked against Atlassian's published
 * spec (jira_platform_v3.json). Requests are captured at the simulator (its request log), not in the connector.
 */
let contract: JiraContract;
let sim: RunningJiraSimulator;

beforeAll(async () => {
  contract = JiraContract.fromSpecFile();
  sim = await startJiraSimulator({ demoRecords: 3 });
});
afterAll(() => sim.close());

describe('Jira contract: connector requests and simulator responses match jira_platform_v3.json', () => {
  it('validates every call of a full Basic-auth session, errors included', async () => {
    const jira = createJiraConnector({ siteUrl: sim.siteUrl, projectKey: 'PROC', auth: { method: 'basic', email: sim.world.user.email, apiToken: sim.world.user.apiToken } }, { limiters: new RateLimiterRegistry() });
    await sim.admin.clearRequests();
    const names = ['External Key', 'Amount', 'Vendor Name', 'Approval Status', 'Vendor Details'];
    const { ids } = await jira.resolveFieldIds(names);
    const check = await jira.checkConnection({ customFieldNames: names, targetStatuses: { 'Purchase Order': ['Approved', 'Closed'] } });
    expect(check.problems).toEqual([]);
    const poType = check.issueTypeIds['Purchase Order']!;
    const created = await jira.createIssue({
      issueTypeId: poType,
      summary: 'PO 1',
      externalKey: 'PS-1',
      keyFieldId: ids['External Key']!,
      propertyKey: 'mlc.record',
      fields: { [ids['Amount']!]: '10.25', [ids['Approval Status']!]: { value: 'Pending' }, [ids['Vendor Details']!]: { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'ACME, 1 Main St, NET30' }] }] }, duedate: '2026-12-31' },
    });
    await jira.editIssue(created.key, { [ids['Vendor Name']!]: 'ACME' });
    await jira.getIssue(created.key, ['*all'], ['mlc.record']);
    await jira.transitionToStatus(created.key, 'Pending Approval');
    await jira.transitionToStatus(created.key, 'Closed').catch(() => undefined);
    await jira.addComment(created.key, 'approved');
    await jira.listComments(created.key);
    await jira.findIssueByExternalKey(ids['External Key']!, 'PS-1', new Date(Date.now() - 60_000));
    for await (const page of jira.searchIssues('project = PROC', { maxResults: 2, fields: ['summary', 'status'] })) expect(page.length).toBeGreaterThan(0);
    await jira.editIssue(created.key, { description: 'not adf' }).catch(() => undefined);
    await jira.getIssue('PROC-999999');

    const log = await sim.admin.requests();
    expect(log.length).toBeGreaterThan(12);
    expect(log.some((r) => r.status === 400)).toBe(true);
    expect(contract.validateLog(log)).toEqual([]);
  });

  it('validates the OAuth session: dynamic webhooks and the gateway base', async () => {
    const app = await sim.admin.registerOAuthClient();
    const grant = await sim.admin.authorizeOAuth(app.clientId);
    const jira = createJiraConnector(
      { siteUrl: sim.siteUrl, gatewayUrl: sim.gatewayUrl, tokenUrl: sim.tokenUrl, projectKey: 'PROC', auth: { method: 'oauth2', clientId: app.clientId, clientSecret: app.clientSecret, refreshToken: grant.refreshToken } },
      { limiters: new RateLimiterRegistry() },
    );
    await sim.admin.clearRequests();
    const id = await jira.registerWebhook({ url: 'http://127.0.0.1:9/hooks/jira', events: ['jira:issue_updated', 'jira:issue_deleted', 'comment_created'], jqlFilter: 'project = PROC' });
    await jira.listWebhooks();
    await jira.refreshWebhooks([id]);
    await jira.deleteWebhooks([id]);
    await jira.getFields();
    const log = await sim.admin.requests();
    expect(log.every((r) => r.auth === 'bearer')).toBe(true);
    expect(contract.validateLog(log)).toEqual([]);
  });

  it('validates the simulator answers the connector never asks for: 410, 429 and unbounded JQL', async () => {
    const basic = `Basic ${Buffer.from(`${sim.world.user.email}:${sim.world.user.apiToken}`).toString('base64')}`;
    await sim.admin.clearRequests();
    await fetch(`${sim.siteUrl}/rest/api/3/search?jql=project%20%3D%20PROC`, { headers: { Authorization: basic } });
    await fetch(`${sim.siteUrl}/rest/api/3/search/jql`, { method: 'POST', headers: { Authorization: basic, 'Content-Type': 'application/json' }, body: JSON.stringify({ jql: '' }) });
    await sim.admin.setFaults({ burst429: { count: 1, retryAfterSeconds: 1 } });
    await fetch(`${sim.siteUrl}/rest/api/3/field`, { headers: { Authorization: basic } });
    const log = await sim.admin.requests();
    expect(log.map((r) => r.status)).toEqual([410, 400, 429]);
    expect(contract.validateLog(log)).toEqual([]);
  });

  it('catches traffic that breaks the spec (the checks can fail)', () => {
    expect(contract.validateRequest('POST', '/rest/api/3/issue', {}, { fields: {}, properties: 'x' })).not.toEqual([]);
    expect(contract.validateRequest('POST', '/rest/api/3/search/jql', {}, { jql: 'project = P', startAt: 0 })).not.toEqual([]);
    expect(contract.validateRequest('GET', '/rest/api/3/field', { startAt: '0' }, undefined)).not.toEqual([]);
    expect(contract.validateResponse('POST', '/rest/api/3/search/jql', 200, { issues: [], total: 3 })).not.toEqual([]);
    expect(contract.validateResponse('PUT', '/rest/api/3/webhook/refresh', 200, { expirationDate: '2019-06-01T12:42:30.000+0000' })).not.toEqual([]);
    expect(contract.validateResponse('GET', '/rest/api/3/field', 418, undefined)).toEqual(['status 418 is not declared for GET /rest/api/3/field']);
  });
});
