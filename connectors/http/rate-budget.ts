import type { RateLimitPolicy } from './rate-limiter';

/**
 * A rate budget shared by every worker process that uses one credential: partners limit per token, not per process
 * (Asana: https://developers.asana.com/docs/rate-limits), so two workers each keeping "their" 1,450/min would send
 * 2,900. The budget is a token bucket per credential key (a hash, never the secret) in a store every process reaches
 * (PostgreSQL: db/rate-budgets.ts; memoryRateBudgetStore below for unit tests and single-process runs).
 *
 * Workers do not hit the store per request: they take a lease of a few tokens (what refills in one lease's life) and
 * spend it locally. A lease lapses leaseTtlMs after it was taken; tokens unspent by then are dropped, because a token
 * spent later than taken could land in a later window of the partner's sliding limit.
 *
 * The bound: in any window of W ms the partner sees at most what the bucket held at its start (<= capacity) plus
 * what it refilled during W + leaseTtlMs (the last lease's tokens may be spent that much later). With capacity C and
 * refill (L - C) / (W + leaseTtlMs) per ms that is at most L, the policy's requestsPerWindow.
 */
export interface BucketSpec {
  /** Most tokens the bucket holds (the burst one idle credential may send at once). */
  capacity: number;
  /** Tokens refilled per millisecond. */
  refillPerMs: number;
}

export interface BudgetGrant {
  /** Tokens granted now (0..want). */
  granted: number;
  /** When nothing was granted: ms until the bucket has a token again or the shared pause ends. */
  waitMs: number;
  /** ms the credential's shared pause (set after a 429 by any worker) still lasts; 0 when none. */
  pausedForMs: number;
}

export interface RateBudgetStore {
  /** Takes up to `want` tokens from `key`'s bucket (created full on first use); never more than it holds. */
  take(key: string, bucket: BucketSpec, want: number): Promise<BudgetGrant>;
  /** Nobody of `key` takes tokens before `ms` from now (extends, never shortens, a pause in force). */
  pause(key: string, ms: number): Promise<void>;
}

/** How a limiter draws on a shared bucket: the bucket, how many tokens a lease asks for and how long it lasts. */
export interface BudgetPlan {
  bucket: BucketSpec;
  leaseSize: number;
  leaseTtlMs: number;
}

/**
 * The plan that keeps a policy's requestsPerWindow in every window even with leases spent late (see above). A lease
 * lasts 1/300 of the window (20 to 200 ms: Asana's minute gets 200 ms, Jira's second 20 ms) and holds what refills in
 * that time, so a worker takes a lease a few times a second at most, and the late-spending margin stays under 2%.
 */
export function budgetPlan(policy: Pick<RateLimitPolicy, 'requestsPerWindow' | 'windowMs' | 'burst'>): BudgetPlan {
  const limit = policy.requestsPerWindow;
  if (policy.burst !== undefined) return bucketPlan(limit / policy.windowMs, policy.burst, policy.windowMs);
  const leaseTtlMs = Math.min(200, Math.max(20, policy.windowMs / 300));
  const leaseSize = Math.max(1, Math.ceil((limit * leaseTtlMs) / policy.windowMs));
  const capacity = Math.min(limit, Math.max(Math.ceil(limit / 200), leaseSize));
  // A limit of one per window leaves nothing to refill after the capacity: it refills one per window (+ lease) then.
  const refillable = limit > capacity ? limit - capacity : limit;
  return { bucket: { capacity, refillPerMs: refillable / (policy.windowMs + leaseTtlMs) }, leaseSize: Math.min(leaseSize, capacity), leaseTtlMs };
}

/**
 * Against a partner's token bucket (`burst` requests, refilled at least at `refillPerMs`): what we send in any T ms is
 * at most our bucket's capacity plus what it refills in T + leaseTtlMs (a lease spent late), and the partner accepts
 * burst + refillPerMs * T in any T ms. So capacity + refillPerMs * leaseTtlMs <= burst keeps every request inside the
 * partner's bucket, however long the run, and a lease can last half the window (Jira: 500 ms, 49 requests): one
 * lease is asked for at a time, so the rate is at most leaseSize per store round trip, and on a busy machine that
 * round trip is slow (Jira's probe: 96% of the burst limit with an in-process budget, 64% over PostgreSQL with leases
 * of 25). Our refill is the policy's rate (a little under the partner's); the bucket's capacity shrinks by what a
 * lease refills (Jira: 51).
 */
function bucketPlan(refillPerMs: number, burst: number, windowMs: number): BudgetPlan {
  const leaseTtlMs = Math.min(500, Math.max(20, windowMs / 2));
  const leaseSize = Math.max(1, Math.ceil(refillPerMs * leaseTtlMs));
  const capacity = Math.max(1, Math.floor(burst - refillPerMs * leaseTtlMs));
  return { bucket: { capacity, refillPerMs }, leaseSize: Math.min(leaseSize, capacity), leaseTtlMs };
}

/** The refill arithmetic both stores use: level after `elapsedMs`, what is granted and how long to wait otherwise. */
export function settle(
  bucket: BucketSpec,
  state: { tokens: number; pausedForMs: number },
  elapsedMs: number,
  want: number,
): BudgetGrant & { tokens: number } {
  const level = Math.min(bucket.capacity, state.tokens + Math.max(0, elapsedMs) * bucket.refillPerMs);
  if (state.pausedForMs > 0) return { tokens: level, granted: 0, waitMs: Math.ceil(state.pausedForMs), pausedForMs: state.pausedForMs };
  const granted = Math.max(0, Math.min(want, Math.floor(level)));
  const waitMs = granted > 0 ? 0 : bucket.refillPerMs > 0 ? Math.ceil((1 - level) / bucket.refillPerMs) : 60_000;
  return { tokens: level - granted, granted, waitMs: Math.max(granted > 0 ? 0 : 1, waitMs), pausedForMs: 0 };
}

/** One process's store (tests, the API's connection checks): the same arithmetic as PostgreSQL's, in memory. */
export function memoryRateBudgetStore(now: () => number = Date.now): RateBudgetStore {
  const rows = new Map<string, { tokens: number; at: number; pausedUntil: number }>();
  return {
    take(key, bucket, want) {
      const t = now();
      const row = rows.get(key) ?? { tokens: bucket.capacity, at: t, pausedUntil: 0 };
      const out = settle(bucket, { tokens: row.tokens, pausedForMs: Math.max(0, row.pausedUntil - t) }, t - row.at, want);
      rows.set(key, { tokens: out.tokens, at: t, pausedUntil: row.pausedUntil });
      return Promise.resolve({ granted: out.granted, waitMs: out.waitMs, pausedForMs: out.pausedForMs });
    },
    pause(key, ms) {
      const t = now();
      const row = rows.get(key) ?? { tokens: 0, at: t, pausedUntil: 0 };
      rows.set(key, { ...row, pausedUntil: Math.max(row.pausedUntil, t + ms) });
      return Promise.resolve();
    },
  };
}
