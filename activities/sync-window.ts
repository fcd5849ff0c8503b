import { ApplicationFailure, Context } from '@temporalio/activity';
import { type WindowOutcome, type WindowRequest, type WindowSummary } from '../core/sync-types';
import { applyRecords, toActivityFailure } from './apply-records';
import { loadFlowContext } from './connection-context';
import { type ActivityDeps } from './deps';
import { withKeepAlive } from './keep-alive';
import { withWriteFence, type WriteFence } from './write-fence';

/**
 * One window of one flow: fetch the source's changes in [from, to], write them to the target, return a summary.
 * Records stay inside the activity; only counts and a few failed keys go back into workflow history. `progress` is
 * what the activity's heartbeats report while it runs.
 */
export async function syncOneWindow(deps: ActivityDeps, ctx: Context, req: WindowRequest, progress: { fetched: number; done: number }, fence?: WriteFence): Promise<WindowSummary> {
  const factory = deps.registry.flows[req.flow];
  if (!factory) throw ApplicationFailure.nonRetryable(`no flow named "${req.flow}" is registered with this worker`, 'UnknownFlow');
  const runtime = await factory(await loadFlowContext(deps.pool, deps.cipher, req.connectionId, deps.telemetry));
  let records;
  try {
    records = await runtime.fetchWindow(new Date(req.from), new Date(req.to));
  } catch (err) {
    throw toActivityFailure(err);
  }
  progress.fetched = records.length;
  const meta = { connectionId: req.connectionId, flow: req.flow, workflowId: req.workflowId, runId: req.runId, attempt: ctx.info.attempt, cancelled: ctx.cancellationSignal, fence };
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

/** The catch-up window activity, and the batched first windows that runs started before the poll activity still use. */
export function createSyncWindowActivities(deps: ActivityDeps) {
  const syncOne = (ctx: Context, req: WindowRequest, progress: { fetched: number; done: number }, fence: WriteFence) => syncOneWindow(deps, ctx, req, progress, fence);

  return {
    /** One window of one flow (catch-up after the first window of a poll). */
    async syncWindow(req: WindowRequest): Promise<WindowSummary> {
      const ctx = Context.current();
      const progress = { fetched: 0, done: 0 };
      return withKeepAlive(ctx, () => progress, () => withWriteFence(deps, ctx, req.connectionId, (fence) => syncOne(ctx, req, progress, fence)));
    },

    /**
     * The first window of every flow in one activity, as runs started before pollFlows poll (remove with the
     * workflow's timer loop): an idle poll then costs one activity, not one per flow. A flow that cannot run (bad credentials, routing missing) reports its error and the others
     * still sync; a transient error retries the batch, whose finished windows are then unchanged and cheap.
     */
    async syncWindows(reqs: WindowRequest[]): Promise<WindowOutcome[]> {
      const ctx = Context.current();
      const progress = { flow: '', fetched: 0, done: 0 };
      if (reqs.length === 0) return [];
      return withKeepAlive(ctx, () => progress, () => withWriteFence(deps, ctx, reqs[0]!.connectionId, async (fence) => {
        const out: WindowOutcome[] = [];
        for (const req of reqs) {
          progress.flow = req.flow;
          try {
            out.push({ summary: await syncOne(ctx, req, progress, fence) });
          } catch (err) {
            if (err instanceof ApplicationFailure && err.nonRetryable) out.push({ error: err.message });
            else throw err;
          }
        }
        return out;
      }));
    },
  };
}
