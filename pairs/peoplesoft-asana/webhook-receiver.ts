import { createHash, randomBytes } from 'node:crypto';
import { asanaDeliverySchema, asanaEventKey, classifyAsanaWebhookRequest, DELIVERY_REFUSED, HANDSHAKE_REFUSED, handshakeTokenOf, hashHandshakeToken, isHeartbeat, signAsanaBody, verifyAsanaSignature, type AsanaEvent } from '../../connectors/asana';
import { acceptHandshakeSecret, listRegistrations, markActive, markPending, openSecret, storePendingSecret } from '../../db/webhook-registrations';
import { type InboxEvent } from '../../core/sync-types';
import { type WebhookReceiver } from '../types';

const PARTNER = 'asana';

/** A compact Asana event as our inbox event; the kind says what changed, the handler re-reads the task anyway. */
function toInboxEvent(event: AsanaEvent, receivedAt: string): InboxEvent {
  const field = event.change?.field;
  const completed = field === 'completed' && typeof event.change?.new_value === 'boolean' ? (event.change.new_value ? 'task.completed' : 'task.uncompleted') : undefined;
  return {
    eventId: asanaEventKey(event),
    partner: PARTNER,
    kind: completed ?? `task.${event.action}${field ? `.${field}` : ''}`,
    resourceId: event.resource.gid,
    receivedAt,
  };
}

/**
 * Asana's handshake and signed deliveries at POST /webhooks/asana/:connectionId (https://developers.asana.com/docs/webhooks-guide).
 * Nothing reaches a workflow before the X-Hook-Signature over the raw bytes checks out against the secret we stored
 * at the handshake; a handshake is accepted only with the one-time token of a registration we are creating (in the
 * target URL we gave Asana), so a stranger cannot plant a secret. Asana's events carry no delivery id: a redelivery repeats the same bytes, so the delivery
 * id is the body's SHA-256 (and each event keeps its own key for the inbox's de-duplication).
 */
export const asanaWebhookReceiver: WebhookReceiver = {
  partner: PARTNER,
  /** Asana deliveries are small batches of compact events; anything near this is not Asana. */
  maxBody: '1mb',
  async receive(deps, req) {
    // An unknown connection has no registrations: it is refused exactly like a known one (no existence leak).
    const connectionId = req.connection?.id;
    const regs = connectionId === undefined ? [] : await listRegistrations(deps.pool, connectionId, PARTNER);
    const kind = classifyAsanaWebhookRequest(req.headers, true);

    if (kind.kind === 'invalid') return { kind: 'rejected', status: 401, reason: kind.reason };
    if (kind.kind === 'handshake') {
      const token = handshakeTokenOf(req.query);
      const stored = connectionId !== undefined && token !== undefined && (await acceptHandshakeSecret(deps.pool, deps.cipher, { connectionId, partner: PARTNER, tokenHash: hashHandshakeToken(token) }, kind.secret));
      if (!stored) return { kind: 'rejected', status: 401, reason: HANDSHAKE_REFUSED };
      return { kind: 'reply', status: kind.status, headers: kind.responseHeaders };
    }

    const raw = req.rawBody;
    // Pending rows count too: deliveries of a freshly registered hook can beat the registration's last write.
    const verified = regs.some((r) => {
      const secret = openSecret(deps.cipher, r);
      return secret !== undefined && verifyAsanaSignature(raw, secret, kind.signature);
    });
    if (!verified) return { kind: 'rejected', status: 401, reason: DELIVERY_REFUSED };

    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      return { kind: 'rejected', status: 400, reason: 'request body is not valid JSON' };
    }
    const delivery = asanaDeliverySchema.safeParse(json);
    if (!delivery.success) return { kind: 'rejected', status: 400, reason: 'request body is not an Asana event delivery' };
    if (isHeartbeat(delivery.data)) return { kind: 'reply', status: 200, body: { accepted: 0 } };

    const receivedAt = new Date().toISOString();
    const events = delivery.data.events.filter((e) => e.resource.resource_type === 'task').map((e) => toInboxEvent(e, receivedAt));
    return { kind: 'delivery', deliveryId: createHash('sha256').update(raw).digest('hex'), events };
  },

  async signedSample(deps, connectionId) {
    const key = { connectionId, partner: PARTNER, resource: '1200000000000001' };
    const secret = randomBytes(24).toString('hex');
    await markPending(deps.pool, { ...key, targetUrl: `http://127.0.0.1/webhooks/asana/${connectionId}` });
    await storePendingSecret(deps.pool, deps.cipher, key, secret);
    await markActive(deps.pool, { ...key, webhookId: '1200000000000002' });
    const body = Buffer.from(
      JSON.stringify({
        events: [{ user: { gid: '1', resource_type: 'user' }, created_at: new Date().toISOString(), action: 'changed', resource: { gid: '1200000000000003', resource_type: 'task' }, change: { field: 'completed', action: 'changed', new_value: true } }],
      }),
    );
    // https://developers.asana.com/docs/webhooks-guide "Security": HMAC-SHA256 of the body with the handshake secret.
    return { headers: { 'content-type': 'application/json', 'x-hook-signature': signAsanaBody(body, secret) }, body };
  },
};
