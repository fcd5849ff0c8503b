import { applyRecords } from '../../activities/apply-records';
import { echoGuardFor } from '../../activities/echo-guard';
import type { FlowContext, FlowFactory, FlowRuntime, InboxRuntime, SourceRecord } from '../../activities/flows/types';
import { type ConflictRule } from '../types';

type InboxOutcome = Awaited<ReturnType<InboxRuntime['handle']>>;

/**
 * Runs one record, read fresh because a webhook named it, through its flow exactly as a poll would (applyRecords:
 * link lookup, intent, echo guard for entities synced both ways, waiting for a missing reference, dead letters), so
 * the webhook path and the poll can never write it twice: whichever comes second finds the link and the same hash.
 * The inbox activity already holds the connection's write lease, so no poll runs meanwhile.
 */
export function inboxFlowRunner(ctx: FlowContext, factories: Record<string, FlowFactory>) {
  const runtimes = new Map<string, Promise<FlowRuntime>>();
  const runtimeOf = (flow: string): Promise<FlowRuntime> => {
    let r = runtimes.get(flow);
    if (!r) {
      const factory = factories[flow];
      if (!factory) return Promise.reject(new Error(`the Procore inbox has no flow named ${flow}`));
      runtimes.set(flow, (r = Promise.resolve(factory(ctx))));
    }
    return r;
  };

  return {
    runtimeOf,
    async apply(flow: string, record: SourceRecord, rule?: ConflictRule): Promise<InboxOutcome> {
      const pool = ctx.pool;
      if (!pool) throw new Error(`connection ${ctx.connection.id}: the Procore inbox needs the database to run ${flow}`);
      const runtime = await runtimeOf(flow);
      const audit = { connectionId: ctx.connection.id, flow, direction: runtime.direction };
      const echo = await echoGuardFor(pool, runtime, runtimeOf, audit, rule);
      // The record may be waiting for a reference from an earlier poll: written now, it stops waiting.
      const r = await applyRecords(pool, runtime, [record], { connectionId: ctx.connection.id, flow, waitingKeys: new Set([record.key]), echo });
      const base = { recordKey: record.key, flow, direction: runtime.direction };
      if (r.created + r.updated > 0) return { outcome: 'applied', ...base };
      if (r.unchanged > 0) return { outcome: 'already_applied', ...base };
      // Waiting (named in status and waiting_records) or dead-lettered under the flow: the poll and replay take it on.
      return { outcome: 'ignored', ...base };
    },
  };
}
