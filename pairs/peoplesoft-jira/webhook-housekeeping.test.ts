import type { ConnectionRow } from '../../db/connections';
import { startJiraSimulator, type RunningJiraSimulator } from '../../simulators/jira';
import { PAIR } from './config';
import { pairContext, type PairContext } from './context';
import { jiraPairConfig } from './demo-world';
import { ensureJiraWebhook, webhookTarget } from './webhook-housekeeping';

/** The dynamic webhook's life over the simulator's movable clock: registered, refreshed before day 30, re-registered after. */
const DAY = 86_400_000;
let sim: RunningJiraSimulator;
let pair: PairContext;

beforeAll(async () => {
  sim = await startJiraSimulator();
  const app = await sim.admin.registerOAuthClient();
  // The access token must outlive the simulated months: only the webhook should age here.
  await sim.admin.settings({ oauth: { accessTokenTtlSeconds: 365 * 86_400 } });
  const grant = await sim.admin.authorizeOAuth(app.clientId);
  const config = { ...jiraPairConfig('http://127.0.0.1:9/ps', sim.siteUrl, 'https://mlc.example.com'), jira: { siteUrl: sim.siteUrl, gatewayUrl: sim.gatewayUrl, tokenUrl: sim.tokenUrl, projectKey: 'PROC' } };
  const connection = { id: 'conn-hk', pair: PAIR, customer_id: 'acme', config } as unknown as ConnectionRow;
  pair = pairContext({
    connection,
    credentials: {
      peoplesoft: { method: 'basic', oprid: 'X', password: 'Y' },
      jira: { method: 'oauth2', clientId: app.clientId, clientSecret: app.clientSecret, refreshToken: grant.refreshToken, accessToken: grant.accessToken },
      jiraWebhook: { secret: 'a-secret-of-sixteen-chars' },
    },
  });
});
afterAll(() => sim.close());

describe('Jira webhook housekeeping', () => {
  it('registers, refreshes on every run (so day 29 is 30 days ahead again), and re-registers after the webhook lapsed', async () => {
    const simNow = async () => (await sim.admin.now()).getTime();
    const first = await ensureJiraWebhook(pair);
    expect(first).toMatchObject({ action: 'registered' });
    const hooks = (await sim.admin.webhooks()).dynamic;
    expect(hooks.map((h) => h.url)).toEqual([webhookTarget('https://mlc.example.com', 'conn-hk')]);
    await sim.admin.advanceClock(29 * DAY);
    const refreshed = await ensureJiraWebhook(pair);
    expect(refreshed).toMatchObject({ action: 'refreshed', webhookId: (first as { webhookId: number }).webhookId });
    expect(Date.parse((refreshed as { expiresAt: string }).expiresAt)).toBeGreaterThan((await simNow()) + 29 * DAY);
    await sim.admin.advanceClock(31 * DAY);
    expect((await sim.admin.webhooks()).dynamic).toEqual([]);
    const again = await ensureJiraWebhook(pair);
    expect(again).toMatchObject({ action: 'registered' });
    expect((await sim.admin.webhooks()).dynamic).toHaveLength(1);
  });

  it('skips Basic-auth connections, whose admin webhook does not expire', async () => {
    const basic = pairContext({
      connection: { id: 'conn-basic', pair: PAIR, customer_id: 'acme', config: jiraPairConfig('http://127.0.0.1:9/ps', sim.siteUrl, 'https://mlc.example.com') } as unknown as ConnectionRow,
      credentials: { peoplesoft: { method: 'basic', oprid: 'X', password: 'Y' }, jira: { method: 'basic', email: sim.world.user.email, apiToken: sim.world.user.apiToken }, jiraWebhook: { secret: 'a-secret-of-sixteen-chars' } },
    });
    expect(await ensureJiraWebhook(basic)).toMatchObject({ action: 'skipped' });
  });
});
