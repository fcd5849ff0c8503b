import express, { Router, type Request, type Response } from 'express';
import { type Client } from '@temporalio/client';
import { webhookEventsSignal } from '../../core/sync-messages';
import { syncStartOptions } from '../../core/sync-start';
import { getConnection } from '../../db/connections';
import { CredentialCipher } from '../../db/credential-cipher';
import { type Db } from '../../db/pool';
import { deliverySeen, markDeliverySeen } from '../../db/webhook-deliveries';
import { pairs } from '../../pairs';
import { syncInputFor } from '../../pairs/derive';
import { type PairDefinition, type WebhookReceiver } from '../../pairs/types';
import { ApiError } from '../errors';
import { type ApiMetrics } from '../metrics';

export interface WebhookRouteDeps {
  pool: Db;
  temporal: Client;
  taskQueue: string;
  masterKey: string;
  metrics?: ApiMetrics;
}

/**
 * `POST /webhooks/:partner/:connectionId` for every partner a declared pair receives webhooks from (Asana:
 * /webhooks/asana/:connectionId). The pair's receiver verifies the request (handshake, signature over the raw bytes)
 * before anything reaches a workflow; a verified delivery becomes ONE signal (signalWithStart: a stopped sync is
 * started by its events), unless its delivery id was signalled before (a partner's retry).
 */
export function webhookRoutes(deps: WebhookRouteDeps, list: readonly PairDefinition[] = pairs): Router {
  const cipher = new CredentialCipher(deps.masterKey);
  const router = Router();
  const partners = new Map<string, string>();
  // Answers for ids that are no live connection of this partner's pairs, the same way a real receiver refuses.
  const stand = new Map<string, WebhookReceiver>();
  for (const pair of list) {
    for (const r of pair.webhooks ?? []) {
      partners.set(r.partner, r.maxBody ?? '1mb');
      if (!stand.has(r.partner)) stand.set(r.partner, r);
    }
  }

  for (const [partner, maxBody] of partners) {
    const path = `/webhooks/${partner}/:connectionId`;
    // Counted on every answer, refusals included (they are thrown before the handler returns).
    if (deps.metrics) router.use(path, deps.metrics.countWebhooks(partner));
    router.post(path, express.raw({ type: () => true, limit: maxBody }), async (req: Request, res: Response) => {
      const found = await getConnection(deps.pool, String(req.params.connectionId));
      const pair = found && found.status !== 'deleted' ? list.find((p) => p.id === found.pair) : undefined;
      const receiver = pair?.webhooks?.find((r) => r.partner === partner);
      const connection = receiver ? found : undefined;

      const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const verdict = await (receiver ?? stand.get(partner)!).receive({ pool: deps.pool, cipher }, { connection, headers: req.headers, query: req.query, rawBody });
      if (verdict.kind === 'rejected') throw new ApiError(verdict.status === 401 ? 'unauthorized' : 'bad_request', verdict.reason);
      // A receiver must refuse what names no connection; should one not, nothing unverifiable reaches a workflow.
      if (!connection || !pair) throw new ApiError('unauthorized', 'webhook delivery refused');
      if (verdict.kind === 'reply') {
        res.set(verdict.headers ?? {}).status(verdict.status);
        if (verdict.body === undefined) res.end();
        else res.json(verdict.body);
        return;
      }

      const delivery = { connectionId: connection.id, partner, deliveryId: verdict.deliveryId };
      if (await deliverySeen(deps.pool, delivery)) {
        res.status(200).json({ accepted: 0, duplicate: true });
        return;
      }
      // One signal per delivery (partners batch events; a signal is a billable action and a history event), answered
      // well within the partners' timeouts (Asana: 10 s). The workflow de-duplicates by eventId.
      if (verdict.events.length > 0) {
        await deps.temporal.workflow.signalWithStart(pair.workflowType, {
          ...syncStartOptions(syncInputFor(connection), deps.taskQueue),
          signal: webhookEventsSignal,
          signalArgs: [verdict.events],
        });
      }
      await markDeliverySeen(deps.pool, delivery);
      res.status(200).json({ accepted: verdict.events.length });
    });
  }
  return router;
}
