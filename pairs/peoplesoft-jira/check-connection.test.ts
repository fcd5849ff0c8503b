import type { ConnectionRow } from '../../db/connections';
import { startJiraSimulator, type RunningJiraSimulator } from '../../simulators/jira';
import { DEMO_OPRID, DEMO_PASSWORD, startPeopleSoftSimulator } from '../../simulators/peoplesoft';
import { checkPeopleSoftJiraConnection } from './check-connection';
import { PAIR } from './config';
import { jiraPairConfig } from './demo-world';

/** `mlc connections test` for the pair: what a Jira admin must fix is named, one failed check each. */
let ps: Awaited<ReturnType<typeof startPeopleSoftSimulator>>;
let jira: RunningJiraSimulator;

beforeAll(async () => {
  ps = await startPeopleSoftSimulator({ port: 0 });
  jira = await startJiraSimulator();
});
afterAll(async () => {
  await jira.close();
  await ps.close();
});

const ctx = (config: Record<string, unknown>) => ({
  connection: { id: 'conn-check', pair: PAIR, customer_id: 'acme', config } as unknown as ConnectionRow,
  credentials: {
    peoplesoft: { method: 'basic', oprid: DEMO_OPRID, password: DEMO_PASSWORD },
    jira: { method: 'basic', email: jira.world.user.email, apiToken: jira.world.user.apiToken },
    jiraWebhook: { secret: 'a-secret-of-sixteen-chars' },
  },
});

describe('peoplesoft-jira connection check', () => {
  it('passes on the seeded project', async () => {
    const checks = await checkPeopleSoftJiraConnection(ctx(jiraPairConfig(ps.baseUrl, jira.siteUrl, undefined) as Record<string, unknown>));
    expect(checks.filter((c) => !c.ok)).toEqual([]);
    expect(checks.some((c) => c.system === 'jira' && c.ok)).toBe(true);
  });

  it('names a missing custom field and a status no workflow has', async () => {
    const config = {
      ...jiraPairConfig(ps.baseUrl, jira.siteUrl, undefined),
      fields: { vendorDetails: 'Vendor Master Data' },
      statuses: { approval: { P: { status: 'Pending Approval', approval: 'Pending' }, A: { status: 'Paid', approval: 'Approved' } } },
    };
    const failed = (await checkPeopleSoftJiraConnection(ctx(config))).filter((c) => !c.ok);
    expect(failed.map((c) => c.check).sort()).toEqual(['custom-field', 'transition', 'transition']);
    expect(failed.find((c) => c.check === 'custom-field')?.message).toMatch(/'Vendor Master Data' is missing/);
    expect(failed.filter((c) => c.check === 'transition').map((c) => c.message)).toEqual([
      expect.stringMatching(/Status 'Paid' is unreachable for 'Requisition'/),
      expect.stringMatching(/Status 'Paid' is unreachable for 'Vendor Invoice'/),
    ]);
  });
});
