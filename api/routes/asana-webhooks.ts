import express, { Router } from 'express';
import { type Client } from '@temporalio/client';
import { asanaDeliverySchema, asanaEventKey, classifyAsanaWebhookRequest, DELIVERY_REFUSED, HANDSHAKE_REFUSED, handshakeTokenOf, hashHandshakeToken, isHeartbeat, verifyAsanaSignature, type AsanaEvent } from '../../connectors/asana';
import { acceptHandshakeSecret, openSecret, listRegistrations } from '../../db/webhook-registrations';
import { PAIR, syncInputFor, WORKFLOW_TYPE } from '../../core/pairs/peoplesoft-asana';
import { webhookEventsSignal } from '../../core/sync-messages';
import { type InboxEvent } from '../../core/sync-types';
import { getConnection } from '../../db/connections';
import { CredentialCipher } from '../../db/credential-cipher';
import { type Db } from '../../db/pool';
import { syncStartOptions } from '../../core/sync-start';
import { ApiError } from '../errors';
import { type ApiMetrics } from '../metrics';

const PARTNER = 'asana';
/** Asana deliveries are small batches of compact events; anything near this is not Asana. */
const MAX_BODY = '1mb';

export interface AsanaWebhookDeps {
  pool: Db;
  temporal: Client;
  taskQueue: string;
  masterKey: string;
  metrics?: ApiMetrics;
}

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
 * POST /webhooks/asana/:connectionId: Asana's handshake and signed deliveries (https://developers.asana.com/docs/webhooks-guide).
 * Nothing reaches a workflow before the X-Hook-Signature over the raw bytes checks out against the secret we stored
 * at the handshake; a handshake is accepted only with the one-time token of a registration we are creating, so a
 * stranger cannot plant a secret. An unknown connection is answered exactly like a known one refusing the request.
 * Each task event becomes a signal (signalWithStart: a stopped sync is started by its events).
 */
export function asanaWebhookRoutes(deps: AsanaWebhookDeps): Router {
  const cipher = new CredentialCipher(deps.masterKey);
  const router = Router();
  // Counted on every answer, refusals included (they are thrown before the handler returns).
  if (deps.metrics) router.use('/webhooks/asana/:connectionId', deps.metrics.countWebhooks(PARTNER));
  router.post('/webhooks/asana/:connectionId', express.raw({ type: () => true, limit: MAX_BODY }), async (req, res) => {
    const connectionId = req.params.connectionId;
    const found = await getConnection(deps.pool, connectionId);
    // Unknown, deleted or another pair's: no registrations, so the same 401 as a known connection refusing (no existence leak).
    const connection = found && found.status !== 'deleted' && found.pair === PAIR ? found : undefined;
    const regs = connection ? await listRegistrations(deps.pool, connectionId, PARTNER) : [];
    const kind = classifyAsanaWebhookRequest(req.headers, true);

    if (kind.kind === 'invalid') throw new ApiError('unauthorized', kind.reason);
    if (kind.kind === 'handshake') {
      const token = handshakeTokenOf(req.query);
      const stored = connection !== undefined && token !== undefined && (await acceptHandshakeSecret(deps.pool, cipher, { connectionId, partner: PARTNER, tokenHash: hashHandshakeToken(token) }, kind.secret));
      if (!stored) throw new ApiError('unauthorized', HANDSHAKE_REFUSED);
      res.set(kind.responseHeaders).status(kind.status).end();
      return;
    }

    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    // Pending rows count too: deliveries of a freshly registered hook can beat the registration's last write.
    const verified = regs.some((r) => {
      const secret = openSecret(cipher, r);
      return secret !== undefined && verifyAsanaSignature(raw, secret, kind.signature);
    });
    if (!verified || !connection) throw new ApiError('unauthorized', DELIVERY_REFUSED);

    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new ApiError('bad_request', 'request body is not valid JSON');
    }
    const delivery = asanaDeliverySchema.safeParse(json);
    if (!delivery.success) throw new ApiError('bad_request', 'request body is not an Asana event delivery');
    if (isHeartbeat(delivery.data)) {
      res.status(200).json({ accepted: 0 });
      return;
    }

    const receivedAt = new Date().toISOString();
    const events = delivery.data.events.filter((e) => e.resource.resource_type === 'task').map((e) => toInboxEvent(e, receivedAt));
    const input = syncInputFor(connection);
    // One signal per delivery (Asana batches events; a signal is a billable action and a history event), answered
    // well within Asana's 10 s. The workflow de-duplicates by eventId.
    if (events.length > 0) {
      await deps.temporal.workflow.signalWithStart(WORKFLOW_TYPE, {
        ...syncStartOptions(input, deps.taskQueue),
        signal: webhookEventsSignal,
        signalArgs: [events],
      });
    }
    res.status(200).json({ accepted: events.length });
  });
  return router;
}
