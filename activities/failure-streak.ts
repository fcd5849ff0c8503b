/**
 * Transient failures in a row of one activity (a partner down, PostgreSQL gone), carried from attempt to attempt in
 * its heartbeat details: the backoff grows with it (poll-attempt.ts transientRetry) and the API shows it as the
 * connection's outage while it lasts (api/partner-outage.ts). Attempts running after a failure heartbeat it on, so the
 * outage stays visible while a retry is under way; an attempt that ends otherwise (an idle poll) ends the streak,
 * and a completed activity leaves nothing behind.
 */
export interface FailureStreak {
  /** The attempt that failed last. */
  failedAttempt: number;
  failures: number;
  /** When the first failure of the streak happened (ISO). */
  failingSince: string;
  /** The last failure's message, cut to MAX_ERROR_CHARS. */
  lastError: string;
}

const MAX_ERROR_CHARS = 300;

/** The streak the attempt right before `attempt` left in its heartbeat, when that attempt failed. */
export function priorStreak(previous: unknown, attempt: number): FailureStreak | undefined {
  const p = (typeof previous === 'object' && previous !== null ? previous : {}) as Partial<FailureStreak>;
  if (p.failedAttempt !== attempt - 1 || typeof p.failures !== 'number') return undefined;
  // A heartbeat from before the streak carried its start (an attempt that was running at the upgrade) starts one now.
  if (typeof p.failingSince !== 'string' || typeof p.lastError !== 'string') return undefined;
  return { failedAttempt: p.failedAttempt, failures: p.failures, failingSince: p.failingSince, lastError: p.lastError };
}

/** The streak once `attempt` failed with `error` at `now`: one more failure, the same start, the new message. */
export function extendStreak(previous: unknown, attempt: number, error: unknown, now: Date): FailureStreak {
  const prior = priorStreak(previous, attempt);
  const message = error instanceof Error ? error.message : String(error);
  return {
    failedAttempt: attempt,
    failures: (prior?.failures ?? 0) + 1,
    failingSince: prior?.failingSince ?? now.toISOString(),
    lastError: message.length > MAX_ERROR_CHARS ? `${message.slice(0, MAX_ERROR_CHARS - 3)}...` : message,
  };
}
