import { ApplicationFailure, CancelledFailure, Context } from '@temporalio/activity';
import { type WindowRequest, type WindowSummary } from '../core/sync-types';
import { type FlowContext } from './flows/types';
import { applyRecords, toActivityFailure } from './apply-records';
import { loadFlowContext } from './connection-context';
import { type ActivityDeps } from './deps';
import { echoGuardFor } from './echo-guard';
import { waitingForStatus, withWaitingRecords } from './flow-dependencies';
import { extendStreak, priorStreak } from './failure-streak';
import { withKeepAlive } from './keep-alive';
import { deadLetteredLine, windowSyncedLine } from './log-lines';
import { withWriteFence, type WriteFence } from './write-fence';

export interface WindowOptions {
  /** A poll's first window of the flow: the flow's records waiting for a reference are tried again with it. */
  retryWaiting?: boolean;
  /** The attempt's hold on the connection. */
  fence?: WriteFence;
  /** The connection and credentials the attempt already loaded (a poll loads them once for all its flows). */
  flowContext?: Promise<FlowContext>;
  /** The flows that had waiting records when the attempt began (a poll reads this once); absent: ask per window. */
  waitingFlows?: ReadonlySet<string>;
}

/**
 * One window of one flow: fetch the source's changes in [from, to], write them to the target, return a summary.
 * Records stay inside the activity; only counts and a few failed keys go back into workflow history. `progress` is
 * what the activity's heartbeats report while it runs.
 */
export async function syncOneWindow(deps: ActivityDeps, ctx: Context, req: WindowRequest, progress: { fetched: number; done: number }, opts: WindowOptions = {}): Promise<WindowSummary> {
  const { retryWaiting = false, fence } = opts;
  const flowCtx = await (opts.flowContext ?? loadFlowContext(deps.pool, deps.cipher, req.connectionId, deps.telemetry));
  const pair = flowCtx.connection.pair;
  const runtimeOf = async (flow: string) => {
    const factory = deps.registry.flows[pair]?.[flow];
    if (!factory) throw ApplicationFailure.nonRetryable(`no flow named "${flow}" is registered for pair ${pair} with this worker`, 'UnknownFlow');
    return factory(flowCtx);
  };
  const runtime = await runtimeOf(req.flow);
  let fetched = await deps.prefetch?.take(req.connectionId, req.flow, req.from, req.to);
  try {
    fetched ??= await runtime.fetchWindow(new Date(req.from), new Date(req.to));
  } catch (err) {
    throw toActivityFailure(err);
  }
  // The next window is read while this one is written (one window ahead), when its end is settled at the source.
  const next = req.next;
  if (next && deps.prefetch?.settled(next)) deps.prefetch.start(req.connectionId, req.flow, next, () => runtime.fetchWindow(new Date(next.from), new Date(next.to)));
  const { records, waitingKeys } = await withWaitingRecords(deps.pool, req.connectionId, req.flow, fetched, retryWaiting, opts.waitingFlows);
  progress.fetched = records.length;
  const audit = { connectionId: req.connectionId, flow: req.flow, direction: runtime.direction, workflowId: req.workflowId, runId: req.runId, activityAttempt: ctx.info.attempt };
  const echo = await echoGuardFor(deps.pool, runtime, runtimeOf, audit, req.conflictRule);
  const meta = { connectionId: req.connectionId, flow: req.flow, workflowId: req.workflowId, runId: req.runId, attempt: ctx.info.attempt, cancelled: ctx.cancellationSignal, waitForReferenceMs: req.waitForReferenceMs, waitingKeys, echo, fence };
  const result = await applyRecords(deps.pool, runtime, records, meta, (n) => {
    progress.done = n;
  });
  const fields = { connectionId: req.connectionId, flow: req.flow, from: req.from, to: req.to, fetched: records.length, ...result, resolvedKeys: result.resolvedKeys.length };
  deps.logger.info(fields, windowSyncedLine({ ...req, fetched: records.length, ...result }));
  if (result.deadLettered > 0) {
    deps.logger.warn({ connectionId: req.connectionId, flow: req.flow, deadLettered: result.deadLettered, failedKeys: result.failedKeys }, deadLetteredLine({ connectionId: req.connectionId, flow: req.flow, count: result.deadLettered, keys: result.failedKeys }));
  }
  const waiting = await waitingForStatus(deps.pool, req.connectionId, req.flow, waitingKeys.size > 0, result.waiting);
  return {
    fetched: fetched.length,
    created: result.created,
    updated: result.updated,
    unchanged: result.unchanged,
    deadLettered: result.deadLettered,
    failedKeys: result.failedKeys,
    watermark: req.to,
    ...(result.waitingAdded > 0 ? { waitingAdded: result.waitingAdded } : {}),
    ...(waiting ? { waiting } : {}),
    ...(result.echoes > 0 ? { echoes: result.echoes } : {}),
  };
}

/** The catch-up window activity: one window of one flow, after the first window of a poll. */
export function createSyncWindow(deps: ActivityDeps) {
  return async function syncWindow(req: WindowRequest): Promise<WindowSummary> {
    const ctx = Context.current();
    // A retry after a failure heartbeats the streak on: the outage shows while this attempt tries again.
    const progress = { fetched: 0, done: 0, ...priorStreak(ctx.info.heartbeatDetails, ctx.info.attempt) };
    try {
      return await withKeepAlive(ctx, () => progress, () => withWriteFence(deps, ctx, req.connectionId, (fence) => syncOneWindow(deps, ctx, req, progress, { fence })));
    } catch (err) {
      // Retried by the server's policy: the streak goes to the next attempt (and to the connection's status).
      const retried = !(err instanceof CancelledFailure) && !(err instanceof ApplicationFailure && err.nonRetryable) && !ctx.cancellationSignal.aborted;
      if (retried) ctx.heartbeat({ ...progress, ...extendStreak(ctx.info.heartbeatDetails, ctx.info.attempt, err, new Date()) });
      throw err;
    }
  };
}
