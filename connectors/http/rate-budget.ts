import type { RateLimitPolicy } from './rate-limiter';

/**
 * A rate budget shared by every worker process that uses one credential: partners limit per token, not per process
 * (Asana: https://developers.asana.com/docs/rate-limits), so two workers each keeping "their" 1,450/min would send
 * 2,900. The budget is a token bucket per credential key (a hash, never the secret) in a store every process reaches
 * (PostgreSQL: db/rate-budgets.ts; memoryRateBudgetStore below for unit tests and single-process runs).
 *
 * Workers do not hit the store per request: they take a lease of a few tokens (a slice of about LEASE_SLICE_MS of
 * the refill) and spend it locally. A lease lapses LEASE_TTL_MS after it was taken; tokens unspent by then are
 * dropped, because a token spent later than taken could land in a later window of the partner's sliding limit.
 *
 * The bound: in any window of W ms the partner sees at most what the bucket held at its start (<= capacity) plus
 * what it refilled during W + LEASE_TTL_MS (the last lease's tokens may be spent that much later). With
 * capacity C and refill (L - C) / (W + LEASE_TTL_MS) per ms that is at most L, the policy's requestsPerWindow.
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

export const LEASE_TTL_MS = 200;
export const LEASE_SLICE_MS = 100;

/** The bucket that keeps a policy's requestsPerWindow in every window even with leases spent late (see above). */
export function bucketFor(policy: Pick<RateLimitPolicy, 'requestsPerWindow' | 'windowMs'>): BucketSpec {
  const limit = policy.requestsPerWindow;
  const capacity = Math.max(1, Math.ceil(limit / 200));
  return { capacity, refillPerMs: Math.max(0, limit - capacity) / (policy.windowMs + LEASE_TTL_MS) };
}

/** How many tokens one lease asks for: about LEASE_SLICE_MS of refill, at least 1, at most the capacity. */
export function leaseSize(bucket: BucketSpec): number {
  return Math.max(1, Math.min(bucket.capacity, Math.ceil(bucket.refillPerMs * LEASE_SLICE_MS)));
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
