import type { HousekeepingTask } from '../types';
import type { PeopleSoftJiraConfig } from './config';
import { pairContext } from './context';

export const HOUSEKEEPING_TOKEN = 'jira-oauth-token';

/**
 * Refreshes a Jira OAuth 2.0 (3LO) access token ahead of its hour (`expires_in: 3600`,
 * https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps/): the connector refreshes when the stored token
 * expires within 5 minutes, once for all workers, and keeps the rotated refresh token with it (oauth_tokens). Running
 * as often as that margin catches every token before it expires. Basic auth (API token) needs nothing.
 */
export const jiraTokenHousekeeping: HousekeepingTask<PeopleSoftJiraConfig> = {
  name: HOUSEKEEPING_TOKEN,
  kind: 'token-refresh',
  everyMs: 5 * 60_000,
  async run(_deps, ctx) {
    const method = (ctx.credentials.jira as { method?: unknown } | undefined)?.method;
    if (method !== 'oauth2') return { action: 'skipped', detail: 'the Jira side uses Basic auth (email + API token)' };
    await pairContext(ctx).jira.authorize();
    return { action: 'ok', detail: 'the access token is valid for at least 5 more minutes' };
  },
};
