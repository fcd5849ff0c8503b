import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/activity';
import { type WindowRequest, type WindowSummary } from '../core/sync-types';
import { applyRecords, toActivityFailure } from './apply-records';
import { loadFlowContext } from './connection-context';
import { type ActivityDeps } from './deps';

/**
 * One activity per window: fetch the source's changes in [from, to], write them to the target, return a summary.
 * Records stay inside the activity; only counts and a few failed keys go back into workflow history.
 */
export function createSyncWindow(deps: ActivityDeps) {
  return async function syncWindow(req: WindowRequest): Promise<WindowSummary> {
    const ctx = Context.current();
    const factory = deps.registry.flows[req.flow];
    if (!factory) throw ApplicationFailure.nonRetryable(`no flow named "${req.flow}" is registered with this worker`, 'UnknownFlow');
    const runtime = await factory(await loadFlowContext(deps.pool, deps.cipher, req.connectionId));
    let records;
    try {
      records = await runtime.fetchWindow(new Date(req.from), new Date(req.to));
    } catch (err) {
      throw toActivityFailure(err);
    }
    ctx.heartbeat({ fetched: records.length });
    const result = await applyRecords(
      deps.pool,
      runtime,
      records,
      { connectionId: req.connectionId, flow: req.flow, workflowId: req.workflowId, runId: req.runId, attempt: ctx.info.attempt },
      (done) => {
        if (done % 25 === 0) ctx.heartbeat({ fetched: records.length, done });
      },
    );
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
  };
}
