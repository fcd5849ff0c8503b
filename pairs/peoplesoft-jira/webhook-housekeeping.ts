import type { HousekeepingTask } from '../types';
import { HOUSEKEEPING_WEBHOOK, type PeopleSoftJiraConfig } from './config';
import { pairContext, type PairContext } from './context';

const DAY_MS = 86_400_000;

export function webhookTarget(baseUrl: string, connectionId: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/webhooks/jira/${encodeURIComponent(connectionId)}`;
}

export type WebhookCheck = { action: 'refreshed' | 'registered'; webhookId: number; expiresAt?: string } | { action: 'skipped'; reason: string };

/**
 * Keeps one dynamic webhook per connection alive: "Webhooks registered through the REST API expire after 30 days"
 * (https://developer.atlassian.com/cloud/jira/platform/webhooks/#registering-a-webhook-using-the-rest-api-for-connect-and-oauth-2-0-apps),
 * so every run (daily, and on each asked-for poll) refreshes it with `PUT /rest/api/3/webhook/refresh` ("call this
 * resource periodically to keep them alive"): 30 days ahead again by Jira's own clock, so no clock skew between us
 * and Jira can let it lapse. One Jira lists no more (lapsed, or deleted) is registered again. Dynamic webhooks are for
 * OAuth apps only; a Basic-auth connection relies on an admin webhook with a secret, which does not expire.
 */
export async function ensureJiraWebhook(pair: PairContext): Promise<WebhookCheck> {
  const base = pair.config.webhookBaseUrl;
  if (!base) return { action: 'skipped', reason: 'no webhookBaseUrl: hand edits are not noticed until the next write' };
  if (pair.credentials.jira.method !== 'oauth2') return { action: 'skipped', reason: 'Basic auth: deliveries come from an admin webhook (with a secret), which does not expire' };
  const url = webhookTarget(base, pair.connectionId);
  // https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-webhooks/#api-rest-api-3-webhook-get
  const ours = (await pair.jira.listWebhooks()).filter((h) => h.url === url);
  const live = ours[0];
  if (live) {
    // https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-webhooks/#api-rest-api-3-webhook-refresh-put
    const expires = await pair.jira.refreshWebhooks(ours.map((h) => h.id));
    return { action: 'refreshed', webhookId: live.id, expiresAt: expires.toISOString() };
  }
  // https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-webhooks/#api-rest-api-3-webhook-post
  const id = await pair.jira.registerWebhook({ url, events: ['jira:issue_updated', 'jira:issue_deleted'], jqlFilter: `project = ${pair.config.jira.projectKey}` });
  return { action: 'registered', webhookId: id };
}

export const jiraWebhookHousekeeping: HousekeepingTask<PeopleSoftJiraConfig> = {
  name: HOUSEKEEPING_WEBHOOK,
  kind: 'webhook-renewal',
  everyMs: DAY_MS,
  enabled: (config) => config.flows.webhookHousekeeping,
  async run(_deps, ctx) {
    const check = await ensureJiraWebhook(pairContext(ctx));
    return { action: check.action, detail: 'reason' in check ? check.reason : `webhook ${check.webhookId}${check.expiresAt ? ` until ${check.expiresAt}` : ''}` };
  },
};
