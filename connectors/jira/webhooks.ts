import type { JiraClient } from './client';
import { anyBody, expirationSchema, pageOfWebhooksSchema, registeredWebhooksSchema, type JiraWebhook } from './schemas';

/**
 * Dynamic webhooks (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-webhooks/): OAuth 2.0 and
 * Connect apps only; each expires 30 days after registration or the last `PUT /rest/api/3/webhook/refresh`
 * ("Webhooks registered through the REST API expire after 30 days"). `expirationDate` is epoch ms (spec int64).
 */
export type WebhookEvent = 'jira:issue_created' | 'jira:issue_updated' | 'jira:issue_deleted' | 'comment_created' | 'comment_updated' | 'comment_deleted';

export interface RegisterWebhookInput {
  url: string;
  events: WebhookEvent[];
  /** Supported subset only: project, issuetype, status, issueKey, cf[id]; = != IN NOT IN. */
  jqlFilter: string;
  fieldIdsFilter?: string[];
}

export async function registerWebhook(client: JiraClient, input: RegisterWebhookInput): Promise<number> {
  const res = await client.send(
    {
      operation: 'POST /rest/api/3/webhook',
      method: 'POST',
      path: '/rest/api/3/webhook',
      body: { url: input.url, webhooks: [{ events: input.events, jqlFilter: input.jqlFilter, ...(input.fieldIdsFilter ? { fieldIdsFilter: input.fieldIdsFilter } : {}) }] },
    },
    registeredWebhooksSchema,
  );
  const result = res.body.webhookRegistrationResult[0];
  if (result?.createdWebhookId === undefined) throw new Error(`jira POST /rest/api/3/webhook: registration refused: ${(result?.errors ?? ['no result']).join('; ')}`);
  return result.createdWebhookId;
}

export async function listWebhooks(client: JiraClient): Promise<JiraWebhook[]> {
  const out: JiraWebhook[] = [];
  for (let startAt = 0; ; ) {
    const res = await client.send({ operation: 'GET /rest/api/3/webhook', method: 'GET', path: '/rest/api/3/webhook', query: { startAt, maxResults: 100 } }, pageOfWebhooksSchema);
    out.push(...res.body.values);
    startAt += res.body.values.length;
    if (res.body.isLast !== false || res.body.values.length === 0) return out;
  }
}

/** Extends the given webhooks by 30 days; unknown ids are ignored by Jira, so callers compare with listWebhooks. */
export async function refreshWebhooks(client: JiraClient, ids: number[]): Promise<Date> {
  const res = await client.send({ operation: 'PUT /rest/api/3/webhook/refresh', method: 'PUT', path: '/rest/api/3/webhook/refresh', body: { webhookIds: ids } }, expirationSchema);
  return new Date(res.body.expirationDate);
}

export async function deleteWebhooks(client: JiraClient, ids: number[]): Promise<void> {
  await client.send({ operation: 'DELETE /rest/api/3/webhook', method: 'DELETE', path: '/rest/api/3/webhook', body: { webhookIds: ids } }, anyBody);
}
