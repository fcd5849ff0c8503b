import { ApplicationFailure, CancelledFailure, Context } from '@temporalio/activity';
import { ApplicationFailureCategory } from '@temporalio/common';
import { nextFire, parseSchedule, type Schedule } from '../core/cron';
import { type PollRequest, type PollResult, type WindowOutcome } from '../core/sync-types';
import { getPollLedger, recordIdlePoll, takeUnreportedPolls, type VerifiedWindows } from '../db/poll-ledgers';
import { type ActivityDeps } from './deps';
import { runDueHousekeeping } from './housekeeping';
import { withKeepAlive } from './keep-alive';
import { attemptWindow, pollDueAt, returnReason, transientRetry, usableVerified, type PollHeartbeat } from './poll-attempt';
import { syncOneWindow } from './sync-window';

type Progress = Required<Pick<PollHeartbeat, 'flow' | 'fetched' | 'done'>>;

/** Failure types of attempts that only wait for the next poll time; not errors, so the worker logs them at DEBUG. */
export const NOT_DUE_YET = 'NotDueYet';
export const IDLE_POLL = 'IdlePoll';

function waitFor(type: typeof NOT_DUE_YET | typeof IDLE_POLL, untilMs: number, message: string): ApplicationFailure {
  return ApplicationFailure.create({
    message,
    type,
    // At least 1 ms: a delay of 0 would mean "use the policy's backoff".
    nextRetryDelay: Math.max(1, untilMs - Date.now()),
    category: ApplicationFailureCategory.BENIGN,
  });
}

/**
 * A connection's poll, as one long-lived activity whose retries are its timer. Each attempt syncs the first window of
 * every due flow, `to` = now. When nothing needs the workflow (see returnReason) the attempt records the idle poll in
 * the ledger and fails with a retry timed for the next poll: an idle poll costs one billable action (the attempt), no
 * workflow task and no timer. The workflow cancels it when a signal needs the connection.
 */
export function createPollFlows(deps: ActivityDeps) {
  return async function pollFlows(req: PollRequest): Promise<PollResult> {
    const ctx = Context.current();
    const progress: Progress = { flow: '', fetched: 0, done: 0 };
    try {
      const schedule = parseRequestSchedule(req.schedule);
      const ledger = await getPollLedger(deps.pool, req.connectionId);
      const now = Date.now();
      const dueAt = req.report ? now : pollDueAt(req, ledger);
      if (now < dueAt) throw waitFor(NOT_DUE_YET, dueAt, `next poll at ${new Date(dueAt).toISOString()}`);
      // Poll lag for /metrics: how late this scheduled poll started (an asked-for poll has no schedule to be late to).
      if (!req.report) deps.telemetry.observePollLag(req.pair ?? 'unknown', (now - dueAt) / 1000);

      const verified = usableVerified(req, ledger);
      const { outcomes, windows } = await withKeepAlive(ctx, () => progress, async () => {
        const polled = await pollOnce(deps, ctx, req, verified, now, progress);
        // After the flows, as the flows' first windows must not wait for a chore (e.g. a webhook registration).
        await runDueHousekeeping(deps, req, now);
        return polled;
      });
      const reason = returnReason(req, outcomes, now);
      const next = nextFire(schedule, new Date());
      const ledgerPoll = { connectionId: req.connectionId, runId: req.runId, polledAt: new Date(now), nextPollAt: next, schedule: req.schedule };
      if (!reason) {
        await recordIdlePoll(deps.pool, { ...ledgerPoll, verified: windows });
        throw waitFor(IDLE_POLL, next.getTime(), `nothing to sync; next poll at ${next.toISOString()}`);
      }
      const unreported = await takeUnreportedPolls(deps.pool, ledgerPoll);
      deps.logger.info({ connectionId: req.connectionId, reason, idlePolls: unreported, attempt: ctx.info.attempt }, 'poll returns to the workflow');
      return { polledAt: new Date(now).toISOString(), polls: unreported + 1, outcomes };
    } catch (err) {
      throw asRetry(ctx, progress, err);
    }
  };
}

/** The first window of every due flow; a flow that cannot run reports its error and the others still sync. */
async function pollOnce(deps: ActivityDeps, ctx: Context, req: PollRequest, verified: VerifiedWindows, now: number, progress: Progress) {
  const outcomes: Record<string, WindowOutcome> = {};
  // What this attempt read without needing to write: the ledger's verified windows if the poll turns out idle.
  const windows: VerifiedWindows = {};
  for (const f of req.flows) {
    const w = attemptWindow(f, verified[f.flow], now);
    if (!w) continue;
    Object.assign(progress, { flow: f.flow, fetched: 0, done: 0 });
    const window = { connectionId: req.connectionId, flow: f.flow, from: new Date(w.from).toISOString(), to: new Date(w.to).toISOString(), workflowId: req.workflowId, runId: req.runId };
    try {
      const summary = await syncOneWindow(deps, ctx, window, progress);
      outcomes[f.flow] = { summary };
      windows[f.flow] = { from: f.from, to: summary.watermark };
    } catch (err) {
      if (err instanceof ApplicationFailure && err.nonRetryable) outcomes[f.flow] = { error: err.message };
      else throw err;
    }
  }
  return { outcomes, windows };
}

function parseRequestSchedule(text: string): Schedule {
  try {
    return parseSchedule(text);
  } catch (err) {
    throw ApplicationFailure.nonRetryable((err as Error).message, 'InvalidSchedule');
  }
}

/**
 * Waits, cancellation and non-retryable failures pass unchanged. Anything else is transient and retried with our own
 * backoff (1 s, 2 s ... 2 min; a 429's Retry-After as the partner asked), since the server's backoff follows the
 * attempt number, which idle polls have raised. The streak travels to the next attempt in the heartbeat details:
 * one heartbeat per failure, never on idle polls.
 */
function asRetry(ctx: Context, progress: Progress, err: unknown): unknown {
  if (err instanceof CancelledFailure || ctx.cancellationSignal.aborted) return err;
  if (err instanceof ApplicationFailure && (err.nonRetryable || err.type === NOT_DUE_YET || err.type === IDLE_POLL)) return err;
  const { failures, delayMs } = transientRetry(ctx.info.heartbeatDetails, ctx.info.attempt);
  ctx.heartbeat({ ...progress, failedAttempt: ctx.info.attempt, failures } satisfies PollHeartbeat);
  if (err instanceof ApplicationFailure) {
    // A 429's Retry-After: exactly what the partner asked for.
    if (err.nextRetryDelay !== undefined && err.nextRetryDelay !== null) return err;
    return ApplicationFailure.create({ message: err.message, type: err.type ?? undefined, details: err.details ?? undefined, cause: err.cause, nextRetryDelay: delayMs });
  }
  const e = err instanceof Error ? err : new Error(String(err));
  return ApplicationFailure.create({ message: e.message, type: e.name, cause: e, nextRetryDelay: delayMs });
}
