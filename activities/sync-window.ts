import { ApplicationFailure, Context } from '@temporalio/activity';
import { type WindowRequest, type WindowSummary } from '../core/sync-types';
import { applyRecords, toActivityFailure } from './apply-records';
import { loadFlowContext } from './connection-context';
import { type ActivityDeps } from './deps';
import { withKeepAlive } from './keep-alive';

/**
 * One window of one flow: fetch the source's changes in [from, to], write them to the target, return a summary.
 * Records stay inside the activity; only counts and a few failed keys go back into workflow history. `progress` is
 * what the activity's heartbeats report while it runs.
 */
export async function syncOneWindow(deps: ActivityDeps, ctx: Context, req: WindowRequest, progress: { fetched: number; done: number }): Promise<WindowSummary> {
  const flowCtx = await loadFlowContext(deps.pool, deps.cipher, req.connectionId, deps.telemetry);
  const factory = deps.registry.flows[flowCtx.connection.pair]?.[req.flow];
  if (!factory) throw ApplicationFailure.nonRetryable(`no flow named "${req.flow}" is registered for pair ${flowCtx.connection.pair} with this worker`, 'UnknownFlow');
  const runtime = await factory(flowCtx);
  let records;
  try {
    records = await runtime.fetchWindow(new Date(req.from), new Date(req.to));
  } catch (err) {
    throw toActivityFailure(err);
  }
  progress.fetched = records.length;
  const meta = { connectionId: req.connectionId, flow: req.flow, workflowId: req.workflowId, runId: req.runId, attempt: ctx.info.attempt, cancelled: ctx.cancellationSignal };
  const result = await applyRecords(deps.pool, runtime, records, meta, (n) => {
    progress.done = n;
  });
  deps.logger.info(
    { connectionId: req.connectionId, flow: req.flow, from: req.from, to: req.to, fetched: records.length, ...result, resolvedKeys: result.resolvedKeys.length },
    'window synced',
  );
  return {
    fetched: records.length,
    created: result.created,
    updated: result.updated,
    unchanged: result.unchanged,
    deadLettered: result.deadLettered,
    failedKeys: result.failedKeys,
    watermark: req.to,
  };
}

/** The catch-up window activity: one window of one flow, after the first window of a poll. */
export function createSyncWindow(deps: ActivityDeps) {
  return async function syncWindow(req: WindowRequest): Promise<WindowSummary> {
    const ctx = Context.current();
    const progress = { fetched: 0, done: 0 };
    return withKeepAlive(ctx, () => progress, () => syncOneWindow(deps, ctx, req, progress));
  };
}
