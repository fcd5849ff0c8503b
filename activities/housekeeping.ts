import { type PollRequest } from '../core/sync-types';
import { isPartnerError } from '../core/partner-error';
import { listHousekeepingRuns, recordHousekeepingRun } from '../db/housekeeping-runs';
import { loadFlowContext } from './connection-context';
import { type ActivityDeps } from './deps';
import { type FlowContext } from './flows/types';

/**
 * Runs the connection's due housekeeping tasks (declared per pair, each with its own cadence) as part of a poll
 * attempt: due when `everyMs` has passed since the task's last success, or on an asked-for poll. They are chores,
 * not flows: no window, no watermark, nothing for the workflow to hear. A failure is logged and recorded and tried
 * again at the next poll; it never fails the poll, whose flows must go on.
 */
export async function runDueHousekeeping(deps: ActivityDeps, req: Pick<PollRequest, 'connectionId' | 'report' | 'pair'>, now: number, loaded?: Promise<FlowContext>): Promise<number> {
  // Most polls of most pairs have nothing to do here: skip loading the connection when the pair declares no task.
  if (req.pair !== undefined && !deps.registry.housekeeping?.[req.pair]?.length) return 0;
  let ctx;
  try {
    // `loaded`: the poll attempt's own read of the connection, shared with its flows.
    ctx = await (loaded ?? loadFlowContext(deps.pool, deps.cipher, req.connectionId, deps.telemetry));
  } catch {
    // A missing connection or unreadable credentials: the flows of the same poll report it.
    return 0;
  }
  const tasks = deps.registry.housekeeping?.[ctx.connection.pair] ?? [];
  if (tasks.length === 0) return 0;
  const runs = await listHousekeepingRuns(deps.pool, req.connectionId);
  let ran = 0;
  for (const task of tasks) {
    let enabled: boolean;
    try {
      enabled = task.enabled(ctx.connection.config);
    } catch {
      // A config that does not parse fails the flows with the zod message; the chore waits for a good config.
      continue;
    }
    const last = runs.get(task.name)?.last_success_at?.getTime();
    if (!enabled || (!req.report && last !== undefined && now - last < task.everyMs)) continue;
    ran += 1;
    const log = { connectionId: req.connectionId, task: task.name, kind: task.kind };
    try {
      const outcome = await task.run(ctx);
      await recordHousekeepingRun(deps.pool, { connectionId: req.connectionId, task: task.name, at: new Date(now), outcome: outcome.detail ? `${outcome.action}: ${outcome.detail}` : outcome.action });
      deps.logger.info({ ...log, ...outcome }, 'housekeeping done');
    } catch (err) {
      const message = isPartnerError(err) ? (err.hint ?? err.message) : err instanceof Error ? err.message : String(err);
      await recordHousekeepingRun(deps.pool, { connectionId: req.connectionId, task: task.name, at: new Date(now), error: message });
      deps.logger.warn({ ...log, error: message }, 'housekeeping failed; tried again at the next poll');
    }
  }
  return ran;
}
