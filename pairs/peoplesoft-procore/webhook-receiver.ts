import { randomBytes } from 'node:crypto';
import { parseProcoreEvent, verifyDestinationAuthorization } from '../../connectors/procore';
import { parseJsonKeepingBigInts } from '../../connectors/procore/big-json';
import { getConnection, getCredentials, putCredentials } from '../../db/connections';
import type { WebhookReceiver } from '../types';
import { peopleSoftProcoreConfigSchema, procoreWebhookSecretSchema } from './config';

const PARTNER = 'procore';
/** The resources whose deliveries the inbox acts on (names as GET /rest/v1.0/webhooks/resources lists them). */
export const HANDLED_RESOURCES = { directCosts: 'Direct Costs', changeOrders: 'Commitment Change Orders', commitments: 'Purchase Order Contracts', requisitions: 'Requisitions' } as const;
const HANDLED = new Set<string>(Object.values(HANDLED_RESOURCES));

/** The inbox resource of an event: `<resource name>|<project id>|<resource id>` (one lane per resource, in order). */
export const inboxResource = (resourceName: string, projectId: string, resourceId: string) => `${resourceName}|${projectId}|${resourceId}`;
export function parseInboxResource(resource: string): { resourceName: string; projectId: string; resourceId: string } | undefined {
  const [resourceName, projectId, resourceId] = resource.split('|');
  return resourceName && projectId && resourceId ? { resourceName, projectId, resourceId } : undefined;
}

/**
 * Procore deliveries at POST /webhooks/procore/:connectionId. Procore signs nothing: a delivery is Procore's when it
 * carries the `Authorization` value we configured on the hook for this connection (stored encrypted, side
 * `procoreWebhook`), compared in constant time (https://developers.procore.com/documentation/webhooks). The answer is
 * immediate (the route signals the workflow and returns, inside Procore's 5 s). Deliveries repeat: the delivery id is
 * the event's ULID (v4 `id`, v2/v3 `ulid`), which the route signals once and the inbox applies once.
 */
export const procoreWebhookReceiver: WebhookReceiver = {
  partner: PARTNER,
  maxBody: '256kb',
  async receive(deps, req) {
    const refused = { kind: 'rejected', status: 401, reason: 'missing or wrong Authorization header' } as const;
    if (!req.connection) return refused;
    const secret = procoreWebhookSecretSchema.safeParse((await getCredentials(deps.pool, deps.cipher, req.connection.id)).procoreWebhook);
    if (!secret.success || !verifyDestinationAuthorization(req.headers.authorization, secret.data.authorization)) return refused;
    let json: unknown;
    try {
      json = parseJsonKeepingBigInts(req.rawBody.toString('utf8'));
    } catch {
      return { kind: 'rejected', status: 400, reason: 'request body is not valid JSON' };
    }
    const event = parseProcoreEvent(json);
    if (!event) return { kind: 'rejected', status: 400, reason: 'request body is not a Procore webhook payload (v2, v3 or v4)' };
    const config = peopleSoftProcoreConfigSchema.safeParse(req.connection.config);
    const projectKnown = config.success && event.projectId !== undefined && config.data.projects[event.projectId] !== undefined;
    const companyOk = !config.success || event.companyId === undefined || event.companyId === config.data.procore.companyId;
    if (!HANDLED.has(event.resourceName) || !projectKnown || !companyOk || event.eventType === 'delete') return { kind: 'reply', status: 200, body: { accepted: 0 } };
    return {
      kind: 'delivery',
      deliveryId: event.eventId,
      events: [{ eventId: event.eventId, partner: PARTNER, kind: `${event.resourceName}.${event.eventType}`, resourceId: inboxResource(event.resourceName, event.projectId!, event.resourceId), receivedAt: new Date().toISOString() }],
    };
  },

  async signedSample(deps, connectionId) {
    const creds = await getCredentials(deps.pool, deps.cipher, connectionId);
    const existing = procoreWebhookSecretSchema.safeParse(creds.procoreWebhook);
    const authorization = existing.success ? existing.data.authorization : `Bearer ${randomBytes(32).toString('base64url')}`;
    if (!existing.success) await putCredentials(deps.pool, deps.cipher, connectionId, 'procoreWebhook', { authorization });
    const config = peopleSoftProcoreConfigSchema.parse((await getConnection(deps.pool, connectionId))!.config);
    // A v4 payload (https://developers.procore.com/documentation/webhooks): string ids, `reason`, `resource_type`.
    const body = Buffer.from(JSON.stringify({ id: '01JDQ2W8Z5B7C9D1E3F5G7H9JK', api_version: 'v4.0', reason: 'create', resource_type: 'Direct Costs', resource_id: '9007199254741999', project_id: config.defaultProjectId, company_id: config.procore.companyId, timestamp: new Date().toISOString(), metadata: {} }));
    return { headers: { 'content-type': 'application/json', authorization }, body };
  },
};
