import { listen } from '../kit/serve';
import type { RunningSimulator, SimulatorOptions } from '../kit/types';
import { JiraAdminClient } from './admin-client';
import { createJiraApp, OAUTH_TOKEN_PATH } from './app';
import { seed, type SeedResult } from './seed';

export interface RunningJiraSimulator extends RunningSimulator {
  /** The site URL (Basic auth), e.g. http://127.0.0.1:4020: what a connection's siteUrl is set to. */
  siteUrl: string;
  /** Stands in for https://api.atlassian.com (OAuth calls, accessible-resources). */
  gatewayUrl: string;
  /** Stands in for https://auth.atlassian.com/oauth/token. */
  tokenUrl: string;
  admin: JiraAdminClient;
  world: SeedResult;
}

/** Starts the Jira simulator on loopback with the procurement project seeded (and `demoRecords` demo issues). */
export async function startJiraSimulator(opts: SimulatorOptions = {}): Promise<RunningJiraSimulator> {
  const parts = createJiraApp();
  const listening = await listen(parts.app, opts.port ?? 0);
  parts.setBaseUrl(listening.baseUrl);
  parts.ctx.webhooks.start();
  const world = seed(parts.ctx.store, parts.ctx.clock, { issues: opts.demoRecords ?? 0 });
  return {
    partner: 'jira',
    baseUrl: listening.baseUrl,
    siteUrl: listening.baseUrl,
    gatewayUrl: listening.baseUrl,
    tokenUrl: `${listening.baseUrl}${OAUTH_TOKEN_PATH}`,
    credentials: { siteUrl: listening.baseUrl, email: world.user.email, apiToken: world.user.apiToken, projectKey: world.projectKey, cloudId: world.cloudId },
    admin: new JiraAdminClient(listening.baseUrl),
    world,
    close: async () => {
      parts.ctx.webhooks.stop();
      await listening.close();
    },
  };
}

export { createJiraApp } from './app';
export type { SeedResult } from './seed';
