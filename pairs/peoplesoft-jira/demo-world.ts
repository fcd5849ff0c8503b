import { randomBytes } from 'node:crypto';
import { JiraAdminClient } from '../../simulators/jira/admin-client';
import { DEMO_OPRID, DEMO_PASSWORD } from '../../simulators/peoplesoft';
import type { PairDemo } from '../types';
import { PAIR, type PeopleSoftJiraConfigInput } from './config';
import { webhookTarget } from './webhook-housekeeping';

const DAY = 86_400_000;
/** The demo runs under its own customer, so the Temporal UI shows it apart from other pairs' demos. */
export const DEMO_CUSTOMER = 'demo-procurement-jira';

/** A connection over the simulators: the procurement project the Jira simulator seeds, every default mapping. */
export function jiraPairConfig(psUrl: string, jiraUrl: string, apiUrl: string | undefined, projectKey = 'PROC'): PeopleSoftJiraConfigInput {
  return {
    peoplesoft: { baseUrl: psUrl, node: 'PSFT_EP', rowCap: 500, maxWindowMs: 365 * DAY, timeoutMs: 20_000 },
    jira: { siteUrl: jiraUrl, projectKey },
    ...(apiUrl ? { webhookBaseUrl: apiUrl } : {}),
    schedule: '@every 3600s',
    initialFrom: new Date(Date.now() - 100 * DAY).toISOString(),
  };
}

/**
 * `npm start`'s demo: the PeopleSoft simulator's demo documents into the Jira simulator's procurement project, with
 * an admin webhook (signed with a fresh secret) pointing at our API for the demo connection, polled every minute.
 */
export const connectDemo: PairDemo['connect'] = async (env) => {
  const jiraUrl = env.simulators.jira!;
  const admin = new JiraAdminClient(jiraUrl);
  const world = await admin.seed({});
  const secret = randomBytes(24).toString('hex');
  await admin.createAdminWebhook({ url: webhookTarget(env.apiUrl, `demo-${PAIR}`), events: ['jira:issue_updated', 'jira:issue_deleted'], secret, jqlFilter: `project = ${world.projectKey}` });
  const config = { ...jiraPairConfig(env.simulators.peoplesoft!, jiraUrl, env.apiUrl, world.projectKey), schedule: '@every 60s' };
  return {
    config: config as Record<string, unknown>,
    credentials: {
      peoplesoft: { method: 'basic', oprid: DEMO_OPRID, password: DEMO_PASSWORD },
      jira: { method: 'basic', email: world.user.email, apiToken: world.user.apiToken },
      jiraWebhook: { secret },
    },
  };
};
