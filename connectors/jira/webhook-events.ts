import { z } from 'zod';

/**
 * A Jira webhook delivery (jira.js src/webhooks/payloads.ts; https://developer.atlassian.com/cloud/jira/platform/webhooks/#example-callback-for-an-issue-related-event).
 * `X-Atlassian-Webhook-Identifier` is the same on every retry of one delivery: the de-duplication key.
 */
export const jiraWebhookPayloadSchema = z
  .object({
    timestamp: z.number(),
    webhookEvent: z.string(),
    issue_event_type_name: z.string().optional(),
    issue: z.object({ id: z.string(), key: z.string(), fields: z.record(z.string(), z.unknown()).optional() }).loose().optional(),
    changelog: z.object({ items: z.array(z.object({ field: z.string(), fieldId: z.string().optional() }).loose()) }).loose().optional(),
    comment: z.object({ id: z.string() }).loose().optional(),
    matchedWebhookIds: z.array(z.number()).optional(),
  })
  .loose();
export type JiraWebhookPayload = z.infer<typeof jiraWebhookPayloadSchema>;

export function deliveryIdOf(headers: Record<string, string | string[] | undefined>): string | undefined {
  const v = headers['x-atlassian-webhook-identifier'];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/** The fields a change touched (from the changelog), to tell a hand edit of a synced field from other edits. */
export function changedFieldIds(payload: JiraWebhookPayload): string[] {
  return (payload.changelog?.items ?? []).map((i) => i.fieldId ?? i.field);
}
