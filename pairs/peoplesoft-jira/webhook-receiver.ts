import { randomBytes, randomUUID } from 'node:crypto';
import { deliveryIdOf, jiraWebhookPayloadSchema, signJiraBody, verifyJiraJwt, verifyJiraSignature } from '../../connectors/jira';
import { getCredentials, putCredentials } from '../../db/connections';
import type { WebhookReceiver } from '../types';
import { parseRecordKey, peopleSoftJiraCredentialsSchema } from './config';

const PARTNER = 'jira';
const HANDLED = new Set(['jira:issue_updated', 'jira:issue_deleted']);

/** The inbox resource of an issue event: `<issue key> <record key>` (events of one issue stay in one lane, in order). */
export function inboxResource(issueKey: string, recordKey: string): string {
  return `${issueKey} ${recordKey}`;
}
export function parseInboxResource(resource: string): { issueKey: string; recordKey: string } | undefined {
  const [issueKey, recordKey] = resource.split(' ');
  return issueKey && recordKey ? { issueKey, recordKey } : undefined;
}

/**
 * Jira deliveries at POST /webhooks/jira/:connectionId (https://developer.atlassian.com/cloud/jira/platform/webhooks/).
 * Verified before anything else: an admin webhook's `X-Hub-Signature: sha256=<hex HMAC-SHA256 of the raw body>` with
 * the secret the connection stores (side `jiraWebhook`), or a dynamic webhook's `Authorization: JWT` signed with our
 * OAuth app's client secret. The delivery id is `X-Atlassian-Webhook-Identifier`, the same on every retry, so the
 * route signals each delivery once. Only issue updates and deletions of issues we created (their record key is in a
 * field) become inbox events: the return path notices hand edits and deletions; nothing is written to PeopleSoft.
 */
export const jiraWebhookReceiver: WebhookReceiver = {
  partner: PARTNER,
  maxBody: '2mb',
  async receive(deps, req) {
    // An unknown connection, or one without credentials, is refused exactly like a bad signature (no existence leak).
    const refused = { kind: 'rejected', status: 401, reason: 'missing or invalid X-Hub-Signature (or dynamic webhook JWT)' } as const;
    if (!req.connection) return refused;
    const creds = peopleSoftJiraCredentialsSchema.safeParse(await getCredentials(deps.pool, deps.cipher, req.connection.id));
    if (!creds.success) return refused;
    const secret = creds.data.jiraWebhook.secret;
    const hub = req.headers['x-hub-signature'];
    const auth = typeof req.headers.authorization === 'string' ? req.headers.authorization : undefined;
    const verified =
      verifyJiraSignature(req.rawBody, secret, hub) ||
      (creds.data.jira.method === 'oauth2' && verifyJiraJwt(auth, creds.data.jira.clientSecret));
    if (!verified) return refused;

    const deliveryId = deliveryIdOf(req.headers);
    if (!deliveryId) return { kind: 'rejected', status: 400, reason: 'no X-Atlassian-Webhook-Identifier header' };
    let json: unknown;
    try {
      json = JSON.parse(req.rawBody.toString('utf8'));
    } catch {
      return { kind: 'rejected', status: 400, reason: 'request body is not valid JSON' };
    }
    const payload = jiraWebhookPayloadSchema.safeParse(json);
    if (!payload.success) return { kind: 'rejected', status: 400, reason: 'request body is not a Jira webhook payload' };
    const issue = payload.data.issue;
    if (!HANDLED.has(payload.data.webhookEvent) || !issue) return { kind: 'reply', status: 200, body: { accepted: 0 } };
    const recordKey = Object.values(issue.fields ?? {}).find((v): v is string => typeof v === 'string' && parseRecordKey(v) !== undefined);
    if (!recordKey) return { kind: 'reply', status: 200, body: { accepted: 0 } };
    const kind = payload.data.webhookEvent === 'jira:issue_deleted' ? 'issue.deleted' : 'issue.updated';
    return { kind: 'delivery', deliveryId, events: [{ eventId: deliveryId, partner: PARTNER, kind, resourceId: inboxResource(issue.key, recordKey), receivedAt: new Date().toISOString() }] };
  },

  async signedSample(deps, connectionId) {
    const creds = await getCredentials(deps.pool, deps.cipher, connectionId);
    const secret = (creds.jiraWebhook as { secret?: string } | undefined)?.secret ?? randomBytes(24).toString('hex');
    if (!creds.jiraWebhook) await putCredentials(deps.pool, deps.cipher, connectionId, 'jiraWebhook', { secret });
    const body = Buffer.from(
      JSON.stringify({ timestamp: Date.now(), webhookEvent: 'jira:issue_updated', issue: { id: '10001', key: 'PROC-1', fields: { customfield_10030: 'voucher:US001/00000001', summary: 'x' } }, changelog: { items: [{ field: 'Amount', fieldId: 'customfield_10033' }] } }),
    );
    // https://developer.atlassian.com/cloud/jira/platform/webhooks/#secure-admin-webhooks
    return { headers: { 'content-type': 'application/json', 'x-hub-signature': signJiraBody(body, secret), 'x-atlassian-webhook-identifier': randomUUID() }, body };
  },
};
