import { isPartnerError } from '../../core/partner-error';

/** A page read's retries in place: 3 more tries, 1 s, 2 s, 4 s apart unless the partner says (Retry-After, at most 20 s). */
export const READ_RETRY = { retries: 3, firstWaitMs: 1_000, maxWaitMs: 20_000 } as const;

export interface ReadRetryPolicy {
  retries: number;
  firstWaitMs: number;
  maxWaitMs: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs one page read again, in place, when it failed transiently (5xx, 429, no or a cut-short answer), waiting the
 * partner's Retry-After when it sent one, else backing off: one bad answer no longer fails the whole poll attempt
 * (whose retry waits the activity's backoff and reads every window again). A failure for good, an error that is not
 * the partner's (a lost lease), a Retry-After longer than `maxWaitMs` or the last retry's failure goes up unchanged,
 * to the attempt's own retry policy. Only for reads: a write's retry must go through its intent (exactly once).
 */
export async function retryRead<T>(read: () => Promise<T>, policy: ReadRetryPolicy = READ_RETRY, wait: (ms: number) => Promise<void> = sleep): Promise<T> {
  for (let retry = 0; ; retry += 1) {
    try {
      return await read();
    } catch (err) {
      if (!isPartnerError(err) || !err.decision.retry || retry >= policy.retries) throw err;
      const waitMs = err.decision.waitMs ?? policy.firstWaitMs * 2 ** retry;
      if (waitMs > policy.maxWaitMs) throw err;
      await wait(waitMs);
    }
  }
}
