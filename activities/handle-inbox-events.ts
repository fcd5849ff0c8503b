import { ApplicationFailure, Context } from '@temporalio/activity';
import { isPartnerError } from '../core/partner-error';
import { type InboxEvent, type InboxSummary } from '../core/sync-types';
import { appendAuditEvents } from '../db/audit-events';
import { upsertDeadLetter } from '../db/dead-letters';
import { execute } from '../db/pool';
import { toActivityFailure } from './apply-records';
import { loadFlowContext } from './connection-context';
import { type ActivityDeps } from './deps';
import { withKeepAlive } from './keep-alive';

/**
 * Applies a batch of verified webhook events in order. Each event id is claimed in webhook_events_seen in the same
 * step as its audit row, so a redelivered event (Asana retries) or a batch replayed after a crash is applied once.
 */
export function createHandleInboxEvents(deps: ActivityDeps) {
  return async function handleInboxEvents(req: { connectionId: string; events: InboxEvent[]; workflowId: string; runId: string }): Promise<InboxSummary> {
    const ctx = Context.current();
    // Heartbeats on a timer: a batch waiting on a partner must not look dead (see keep-alive.ts).
    return withKeepAlive(ctx, () => ({}), async () => {
      const flowCtx = await loadFlowContext(deps.pool, deps.cipher, req.connectionId, deps.telemetry);
      const factory = deps.registry.inbox[flowCtx.connection.pair];
      if (!factory) throw ApplicationFailure.nonRetryable(`pair ${flowCtx.connection.pair} has no webhook handler`, 'UnknownInbox');
      const inbox = await factory(flowCtx);
      const summary: InboxSummary = { applied: 0, alreadyApplied: 0, ignored: 0, deadLettered: 0 };
      const audit = { connectionId: req.connectionId, workflowId: req.workflowId, runId: req.runId, activityAttempt: ctx.info.attempt };

      for (const event of req.events) {
        const seen = await deps.pool.query('SELECT 1 FROM webhook_events_seen WHERE connection_id = $1 AND event_id = $2', [req.connectionId, event.eventId]);
        if ((seen.rowCount ?? 0) > 0) {
          summary.alreadyApplied += 1;
          continue;
        }
        try {
          const r = await inbox.handle(event);
          if (r.outcome === 'ignored') summary.ignored += 1;
          else if (r.outcome === 'already_applied') summary.alreadyApplied += 1;
          else summary.applied += 1;
          await appendAuditEvents(deps.pool, [
            { ...audit, flow: r.flow, recordKey: r.recordKey, direction: r.direction, action: 'apply', outcome: r.outcome === 'applied' ? 'ok' : 'already_applied', targetId: r.targetId, detail: { eventId: event.eventId, kind: event.kind, outcome: r.outcome } },
          ]);
        } catch (err) {
          if (!isPartnerError(err) || err.decision.retry) throw toActivityFailure(err);
          summary.deadLettered += 1;
          await upsertDeadLetter(deps.pool, {
            connectionId: req.connectionId,
            flow: 'inbox',
            recordKey: `${event.partner}:${event.resourceId}`,
            errorCode: err.code,
            errorMessage: err.message,
            partnerStatus: err.status,
            rawResponse: err.rawBody,
            sourceRecord: event,
          });
          await appendAuditEvents(deps.pool, [
            { ...audit, flow: 'inbox', recordKey: `${event.partner}:${event.resourceId}`, direction: 'inbound', action: 'dead_letter', outcome: 'failed', errorCode: err.code, errorBody: err.rawBody ?? err.message, detail: { eventId: event.eventId } },
          ]);
        }
        await execute(deps.pool, 'mark event seen', 'INSERT INTO webhook_events_seen (connection_id, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [req.connectionId, event.eventId]);
      }
      return summary;
    });
  };
}
