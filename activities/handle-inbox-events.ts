import { ApplicationFailure, Context } from '@temporalio/activity';
import { isPartnerError } from '../core/partner-error';
import { type InboxEvent, type InboxSummary } from '../core/sync-types';
import { type AuditEvent } from '../db/audit-events';
import { withFence } from '../db/connection-leases';
import { upsertDeadLetter } from '../db/dead-letters';
import { listSeenEventIds, markEventSeen } from '../db/webhook-events-seen';
import { toActivityFailure } from './apply-records';
import { loadFlowContext } from './connection-context';
import { type ActivityDeps } from './deps';
import { withKeepAlive } from './keep-alive';
import { runInLanes } from './run-lanes';
import { webhookEventsLine } from './log-lines';
import { withWriteFence } from './write-fence';

/** Resources handled at once; events of one resource never run in parallel (see below). */
const LANES = 16;

/**
 * Applies a batch of verified webhook events, several resources at once. Events of one resource (one task) stay
 * in one lane in arrival order: the partner write reads before it writes, so two events of the same task running
 * together could both write. Each event id is marked in webhook_events_seen in the same statement as its audit
 * row, after its effect, so a redelivered event (Asana retries) or a batch replayed after a crash is applied once.
 */
export function createHandleInboxEvents(deps: ActivityDeps) {
  return async function handleInboxEvents(req: { connectionId: string; events: InboxEvent[]; workflowId: string; runId: string }): Promise<InboxSummary> {
    const ctx = Context.current();
    // Heartbeats on a timer: a batch waiting on a partner must not look dead (see keep-alive.ts).
    return withKeepAlive(ctx, () => ({}), () => withWriteFence(deps, ctx, req.connectionId, async (fence) => {
      const flowCtx = await loadFlowContext(deps.pool, deps.cipher, req.connectionId, deps.telemetry);
      const factory = deps.registry.inbox[flowCtx.connection.pair];
      if (!factory) throw ApplicationFailure.nonRetryable(`pair ${flowCtx.connection.pair} has no webhook handler`, 'UnknownInbox');
      const inbox = await factory(flowCtx);
      const summary: InboxSummary = { applied: 0, alreadyApplied: 0, ignored: 0, deadLettered: 0 };
      const audit = { connectionId: req.connectionId, workflowId: req.workflowId, runId: req.runId, activityAttempt: ctx.info.attempt };

      const seen = await listSeenEventIds(deps.pool, req.connectionId, req.events.map((e) => e.eventId));
      const byResource = new Map<string, InboxEvent[]>();
      for (const event of req.events) {
        // A second copy of an event in the same batch is a duplicate delivery, as if its first copy were already seen.
        if (seen.has(event.eventId)) {
          summary.alreadyApplied += 1;
          continue;
        }
        seen.add(event.eventId);
        const key = `${event.partner}:${event.resourceId}`;
        const queued = byResource.get(key);
        if (queued) queued.push(event);
        else byResource.set(key, [event]);
      }

      async function applyOne(event: InboxEvent): Promise<void> {
        const recordKey = `${event.partner}:${event.resourceId}`;
        fence.check();
        let row: AuditEvent;
        try {
          const r = await inbox.handle(event);
          if (r.outcome === 'ignored') summary.ignored += 1;
          else if (r.outcome === 'already_applied') summary.alreadyApplied += 1;
          else summary.applied += 1;
          row = { ...audit, flow: r.flow, recordKey: r.recordKey, direction: r.direction, action: 'apply', outcome: r.outcome === 'applied' ? 'ok' : 'already_applied', targetId: r.targetId, detail: { eventId: event.eventId, kind: event.kind, outcome: r.outcome } };
        } catch (err) {
          if (!isPartnerError(err) || err.decision.retry) throw err;
          summary.deadLettered += 1;
          await withFence(deps.pool, fence.lease, (db) => upsertDeadLetter(db, {
            connectionId: req.connectionId,
            flow: 'inbox',
            recordKey,
            errorCode: err.code,
            errorMessage: err.message,
            partnerStatus: err.status,
            rawResponse: err.rawBody,
            sourceRecord: event,
          }));
          row = { ...audit, flow: 'inbox', recordKey, direction: 'inbound', action: 'dead_letter', outcome: 'failed', errorCode: err.code, errorBody: err.rawBody ?? err.message, detail: { eventId: event.eventId } };
        }
        await withFence(deps.pool, fence.lease, (db) => markEventSeen(db, req.connectionId, event.eventId, row));
      }

      // A newer attempt waits out the partner writes an older one may still have in flight.
      await fence.ready();
      try {
        await runInLanes([...byResource.values()], { concurrency: LANES, cancelled: ctx.cancellationSignal }, async (events, checkpoint) => {
          for (const event of events) {
            checkpoint();
            await applyOne(event);
          }
        });
      } catch (err) {
        throw toActivityFailure(err);
      }
      const line = webhookEventsLine({ connectionId: req.connectionId, events: req.events.length, ...summary });
      if (summary.deadLettered > 0) deps.logger.warn({ connectionId: req.connectionId, ...summary }, `${line}; see \`mlc connections dead-letters ${req.connectionId}\``);
      else deps.logger.info({ connectionId: req.connectionId, ...summary }, line);
      return summary;
    }));
  };
}
