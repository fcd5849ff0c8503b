/**
 * Transient failures back off 1 s, 2 s, 4 s ... 2 min, without limit (a record is never dropped). One definition for
 * the workflow's activity retry policy and for the poll activity, which computes its own delays: its idle retries
 * (one per idle poll) raise the attempt number, and the server's backoff for attempt 40 would be the maximum at once.
 */
export const TRANSIENT_RETRY = { initialMs: 1_000, coefficient: 2, maximumMs: 120_000 } as const;

/** The wait before the next attempt after `failures` transient failures in a row (1 = the first). */
export function transientBackoffMs(failures: number): number {
  return Math.min(TRANSIENT_RETRY.maximumMs, TRANSIENT_RETRY.initialMs * TRANSIENT_RETRY.coefficient ** Math.max(0, failures - 1));
}
