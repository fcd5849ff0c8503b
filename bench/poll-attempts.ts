/**
 * Poll attempts as the benchmark worker sees them. Idle polls are retries of one activity and leave nothing in
 * history, so P6 takes its lag from here: an interceptor on the bench worker notes when each pollFlows attempt
 * started, when the server scheduled it, and, for an attempt that ends waiting, when it asked to run again. The worker
 * prints one line per attempt; the harness collects them.
 */
import { ApplicationFailure } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time';
import { type ActivityInterceptorsFactory } from '@temporalio/worker';
import { IDLE_POLL, NOT_DUE_YET } from '../activities/poll-flows';

export interface PollAttempt {
  workflowId: string;
  activityId: string;
  attempt: number;
  startedAt: number;
  /** When the server scheduled this attempt (for a retry: when its delay ran out). */
  scheduledAt: number;
  /** False for an attempt that only found the poll not due yet. */
  polled: boolean;
  /** For an attempt that ended waiting: when it asked to run again. */
  retryAt?: number;
}

export const POLL_ATTEMPT_LINE = 'poll-attempt ';

export function pollAttemptInterceptor(write: (line: string) => void): ActivityInterceptorsFactory {
  return (ctx) => ({
    inbound: {
      async execute(input, next) {
        const info = ctx.info;
        if (info.activityType !== 'pollFlows') return next(input);
        const base = { workflowId: info.workflowExecution?.workflowId ?? '', activityId: info.activityId, attempt: info.attempt, startedAt: Date.now(), scheduledAt: info.currentAttemptScheduledTimestampMs };
        const note = (a: Pick<PollAttempt, 'polled' | 'retryAt'>) => write(`${POLL_ATTEMPT_LINE}${JSON.stringify({ ...base, ...a } satisfies PollAttempt)}`);
        try {
          const result: unknown = await next(input);
          note({ polled: true });
          return result;
        } catch (err) {
          const waits = err instanceof ApplicationFailure && (err.type === IDLE_POLL || err.type === NOT_DUE_YET) && err.nextRetryDelay;
          note({ polled: !(err instanceof ApplicationFailure && err.type === NOT_DUE_YET), retryAt: waits ? Date.now() + msToNumber(waits) : undefined });
          throw err;
        }
      },
    },
  });
}

/**
 * Lag of each poll: when it was due -> when its attempt started on the worker. Due is the time the previous attempt
 * of the same activity asked to run again, or else (a first attempt, or one after a transient failure) when the
 * server scheduled this attempt.
 */
export function pollLags(attempts: PollAttempt[]): Array<{ startedAt: number; lagMs: number }> {
  const byKey = new Map(attempts.map((a) => [`${a.workflowId}/${a.activityId}/${a.attempt}`, a]));
  return attempts
    .filter((a) => a.polled)
    .map((a) => {
      const previous = byKey.get(`${a.workflowId}/${a.activityId}/${a.attempt - 1}`);
      return { startedAt: a.startedAt, lagMs: a.startedAt - (previous?.retryAt ?? a.scheduledAt) };
    });
}

/** Every poll due in a window, whether it ran, and how late (see duePolls). */
export interface DuePolls {
  due: number;
  ran: number;
  /** Lag of every due poll: a poll that ran is measured to its start; one that never ran counts as late as `until`. */
  lagsMs: number[];
  /** Due polls that had not started when the measurement ended. */
  missed: number;
}

/**
 * The polls due in [from, to]: every attempt that ended waiting asked to run again at `retryAt`, so that instant is a
 * due poll of that connection, whether or not anything ever ran it (counting the attempts that did run, as P6 once
 * did, misses exactly the polls that never ran). It ran when the next attempt of the same activity polled; a next
 * attempt that found it not due yet moved the due time (its own retryAt is the poll, counted in its place). A poll
 * with no next attempt by `until` (the end of the measurement, later than `to` so polls due at `to` have time to
 * start) is missed and its lag is at least `until - retryAt`.
 */
export function duePolls(attempts: PollAttempt[], from: number, to: number, until: number): DuePolls {
  const byKey = new Map(attempts.map((a) => [`${a.workflowId}/${a.activityId}/${a.attempt}`, a]));
  const out: DuePolls = { due: 0, ran: 0, lagsMs: [], missed: 0 };
  for (const a of attempts) {
    if (a.retryAt === undefined || a.retryAt < from || a.retryAt > to) continue;
    const next = byKey.get(`${a.workflowId}/${a.activityId}/${a.attempt + 1}`);
    if (next && !next.polled) continue;
    out.due += 1;
    if (next && next.startedAt <= until) {
      out.ran += 1;
      out.lagsMs.push(Math.max(0, next.startedAt - a.retryAt));
    } else {
      out.missed += 1;
      out.lagsMs.push(until - a.retryAt);
    }
  }
  return out;
}
