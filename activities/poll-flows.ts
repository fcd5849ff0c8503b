import { ApplicationFailure, CancelledFailure, Context } from '@temporalio/activity';
import { ApplicationFailureCategory } from '@temporalio/common';
import { nextFireOrNever, parseSchedule, type Schedule } from '../core/cron';
import { dependencyCap, orderFlows } from '../core/flow-dependencies';
import { type PollRequest, type PollResult, type WindowOutcome } from '../core/sync-types';
import { getPollLedger, recordIdlePoll, takeUnreportedPolls, type VerifiedWindows } from '../db/poll-ledgers';
import { flowsWithWaiting } from '../db/waiting-records';
import { type ActivityDeps } from './deps';
import { loadFlowContext } from './connection-context';
import { runDueHousekeeping } from './housekeeping';
import { withKeepAlive } from './keep-alive';
import { pollReturnedLine } from './log-lines';
import { extendStreak, priorStreak, type FailureStreak } from './failure-streak';
import { attemptWindow, pollDueAt, returnReason, transientRetry, usableVerified, type PollHeartbeat } from './poll-attempt';
import { syncOneWindow, type WindowOptions } from './sync-window';
import { withWriteFence } from './write-fence';

type Progress = Required<Pick<PollHeartbeat, 'flow' | 'fetched' | 'done'>> & Partial<FailureStreak>;

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
    // A retry after a failure heartbeats the streak on: the outage shows while this attempt tries again.
    const progress: Progress = { flow: '', fetched: 0, done: 0, ...priorStreak(ctx.info.heartbeatDetails, ctx.info.attempt) };
    try {
      const schedule = parseRequestSchedule(req.schedule);
      const ledger = await getPollLedger(deps.pool, req.connectionId);
      const now = Date.now();
      const dueAt = req.report ? now : pollDueAt(req, ledger);
      if (now < dueAt) throw waitFor(NOT_DUE_YET, dueAt, `next poll at ${new Date(dueAt).toISOString()}`);
      // Poll lag for /metrics: how late this scheduled poll started (an asked-for poll has no schedule to be late to).
      if (!req.report) deps.telemetry.observePollLag(req.pair ?? 'unknown', (now - dueAt) / 1000);

      const verified = usableVerified(req, ledger);
      const { outcomes, windows, caps } = await withKeepAlive(ctx, () => progress, () =>
        withWriteFence(deps, ctx, req.connectionId, async (fence) => {
          // The connection and its credentials, read and decrypted once for every flow and chore of the attempt. A
          // failure (connection deleted, credentials unreadable) is each flow's outcome, as if each had read them.
          const flowContext = loadFlowContext(deps.pool, deps.cipher, req.connectionId, deps.telemetry);
          // Awaited by each flow that runs; marked handled for an attempt in which none runs.
          flowContext.catch(() => undefined);
          const polled = await pollOnce(deps, ctx, req, verified, now, progress, { fence, flowContext });
          // After the flows, as the flows' first windows must not wait for a chore (e.g. a webhook registration).
          await runDueHousekeeping(deps, req, now, flowContext);
          return polled;
        }),
      );
      const reason = returnReason(req, outcomes, now, caps);
      // Fire times are computed here and in the workflow from the schedule and a given instant only (core/cron.ts).
      const next = nextFireOrNever(schedule, new Date()) ?? new Date(Date.now() + 366 * 86_400_000);
      const ledgerPoll = { connectionId: req.connectionId, runId: req.runId, polledAt: new Date(now), nextPollAt: next, schedule: req.schedule };
      if (!reason) {
        await recordIdlePoll(deps.pool, { ...ledgerPoll, verified: windows });
        throw waitFor(IDLE_POLL, next.getTime(), `nothing to sync; next poll at ${next.toISOString()}`);
      }
      const unreported = await takeUnreportedPolls(deps.pool, ledgerPoll);
      const flows = Object.fromEntries(Object.entries(outcomes).map(([flow, o]) => [flow, o.summary ? { written: o.summary.created + o.summary.updated } : { error: o.error }]));
      deps.logger.info({ connectionId: req.connectionId, reason, idlePolls: unreported, attempt: ctx.info.attempt }, pollReturnedLine({ connectionId: req.connectionId, reason, idlePolls: unreported, flows }));
      return { polledAt: new Date(now).toISOString(), polls: unreported + 1, outcomes };
    } catch (err) {
      throw asRetry(ctx, progress, err);
    }
  };
}

/**
 * The first window of every due flow, dependencies first; a flow that cannot run reports its error and the others
 * still sync. A dependent flow's window ends at the watermarks its dependencies reached in this attempt (`caps`).
 */
async function pollOnce(deps: ActivityDeps, ctx: Context, req: PollRequest, verified: VerifiedWindows, now: number, progress: Progress, shared: Pick<WindowOptions, 'fence' | 'flowContext'>) {
  const outcomes: Record<string, WindowOutcome> = {};
  // Which flows have records waiting for a reference: one query, instead of one per flow (most have none).
  const waitingFlows = await flowsWithWaiting(deps.pool, req.connectionId);
  // What this attempt read without needing to write: the ledger's verified windows if the poll turns out idle.
  const windows: VerifiedWindows = {};
  const caps: Record<string, number> = {};
  const reached = new Map<string, number>(req.flows.flatMap((f) => (f.watermark ? [[f.flow, Date.parse(f.watermark)] as const] : [])));
  for (const f of inDependencyOrder(req.flows)) {
    const cap = dependencyCap(f, req.flows, (d) => reached.get(d));
    if (cap !== undefined) caps[f.flow] = cap;
    const limit = Math.min(now, cap ?? now);
    const w = attemptWindow(f, verified[f.flow], limit);
    if (!w) continue;
    Object.assign(progress, { flow: f.flow, fetched: 0, done: 0 });
    // A window capped by maxWindowMs is followed by the workflow's first catch-up window, up to the same limit.
    const next = w.to < limit ? { from: new Date(w.to).toISOString(), to: new Date(Math.min(limit, w.to + f.maxWindowMs)).toISOString(), overlapMs: f.overlapMs } : undefined;
    const window = { connectionId: req.connectionId, flow: f.flow, from: new Date(w.from).toISOString(), to: new Date(w.to).toISOString(), workflowId: req.workflowId, runId: req.runId, waitForReferenceMs: f.waitForReferenceMs, conflictRule: f.conflictRule, ...(next ? { next } : {}) };
    try {
      const summary = await syncOneWindow(deps, ctx, window, progress, { ...shared, retryWaiting: true, waitingFlows });
      reached.set(f.flow, Date.parse(summary.watermark));
      outcomes[f.flow] = { summary };
      windows[f.flow] = { from: f.from, to: summary.watermark };
    } catch (err) {
      if (err instanceof ApplicationFailure && err.nonRetryable) outcomes[f.flow] = { error: err.message };
      else throw err;
    }
  }
  return { outcomes, windows, caps };
}

function inDependencyOrder(flows: PollRequest['flows']): PollRequest['flows'] {
  try {
    return orderFlows(flows);
  } catch (err) {
    // A cycle or an unknown dependency is a configuration error: retrying cannot fix it.
    throw ApplicationFailure.nonRetryable((err as Error).message, 'FlowDependencies');
  }
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
  ctx.heartbeat({ ...progress, ...extendStreak(ctx.info.heartbeatDetails, ctx.info.attempt, err, new Date()), failures } satisfies PollHeartbeat & FailureStreak);
  if (err instanceof ApplicationFailure) {
    // A 429's Retry-After: exactly what the partner asked for.
    if (err.nextRetryDelay !== undefined && err.nextRetryDelay !== null) return err;
    return ApplicationFailure.create({ message: err.message, type: err.type ?? undefined, details: err.details ?? undefined, cause: err.cause, nextRetryDelay: delayMs });
  }
  const e = err instanceof Error ? err : new Error(String(err));
  return ApplicationFailure.create({ message: e.message, type: e.name, cause: e, nextRetryDelay: delayMs });
}
