import { ApplicationFailure, Context } from '@temporalio/activity';
import { type ReplayFilter, type ReplaySummary } from '../core/sync-types';
import { appendAuditEvents } from '../db/audit-events';
import { withFence } from '../db/connection-leases';
import { listDeadLetters, type DeadLetter } from '../db/dead-letters';
import { isPermanentDbError } from '../db/sql-state';
import { applyRecords } from './apply-records';
import { loadFlowContext } from './connection-context';
import { type ActivityDeps } from './deps';
import { withKeepAlive } from './keep-alive';
import { type SourceRecord } from './flows/types';
import { withWriteFence } from './write-fence';

/**
 * Replays open dead letters through the same write path as a poll (after a mapping or data fix): the record is
 * re-read from the source when the flow can, else the stored copy is used. A record that succeeds is resolved by
 * applyRecords; one that still fails stays open with the newest partner answer.
 */
export function createReplayDeadLetters(deps: ActivityDeps) {
  return async function replayDeadLetters(req: { connectionId: string; filter: ReplayFilter; workflowId: string; runId: string }): Promise<ReplaySummary> {
    const ctx = Context.current();
    try {
      return await replay(ctx, req);
    } catch (err) {
      if (!isPermanentDbError(err)) throw err;
      // No retry makes this input storable: fail for good, so the update answers and the workflow releases the
      // connection instead of holding it in 'replaying' while the activity retries forever.
      deps.logger.error({ connectionId: req.connectionId, workflowId: req.workflowId, err: err instanceof Error ? err.message : String(err) }, 'dead-letter replay failed permanently');
      throw ApplicationFailure.nonRetryable(`replay failed: ${err instanceof Error ? err.message : String(err)}`, 'ReplayRejected');
    }
  };

  async function replay(ctx: Context, req: { connectionId: string; filter: ReplayFilter; workflowId: string; runId: string }): Promise<ReplaySummary> {
    // Heartbeats on a timer: a batch waiting on a partner must not look dead (see keep-alive.ts).
    return withKeepAlive(ctx, () => ({}), () => withWriteFence(deps, ctx, req.connectionId, async (fence) => {
      const flowCtx = await loadFlowContext(deps.pool, deps.cipher, req.connectionId, deps.telemetry);
      const letters = await listDeadLetters(deps.pool, { connectionId: req.connectionId, ...req.filter, status: 'open' });
      const byFlow = new Map<string, DeadLetter[]>();
      for (const d of letters) byFlow.set(d.flow, [...(byFlow.get(d.flow) ?? []), d]);

      const summary: ReplaySummary = { attempted: 0, resolved: 0, stillFailing: 0 };
      for (const [flow, group] of byFlow) {
        const factory = deps.registry.flows[flowCtx.connection.pair]?.[flow];
        if (!factory) {
          summary.stillFailing += group.length;
          continue;
        }
        const runtime = await factory(flowCtx);
        const records: SourceRecord[] = [];
        for (const d of group) {
          const fresh = runtime.fetchOne ? await runtime.fetchOne(d.record_key) : undefined;
          const stored = d.source_record as SourceRecord | null;
          if (fresh ?? stored) records.push((fresh ?? stored)!);
        }
        summary.attempted += records.length;
        await withFence(deps.pool, fence.lease, (db) => appendAuditEvents(
          db,
          records.map((r) => ({ connectionId: req.connectionId, flow, recordKey: r.key, direction: runtime.direction, action: 'replay' as const, outcome: 'ok' as const, workflowId: req.workflowId, runId: req.runId, activityAttempt: ctx.info.attempt })),
        ));
        const result = await applyRecords(deps.pool, runtime, records, { connectionId: req.connectionId, flow, workflowId: req.workflowId, runId: req.runId, attempt: ctx.info.attempt, cancelled: ctx.cancellationSignal, fence });
        summary.resolved += result.resolvedKeys.length;
        summary.stillFailing += result.deadLettered;
      }
      return summary;
    }));
  }
}
