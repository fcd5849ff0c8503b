import { createHash } from 'node:crypto';
import { isPartnerError } from '../../core/partner-error';
import { budgetPlan, type BudgetPlan, type RateBudgetStore } from './rate-budget';

/**
 * A client-side limiter per credential, shared by every caller in the process that uses the same credential:
 * partners limit per token (Asana: https://developers.asana.com/docs/rate-limits), so two workflows syncing with one
 * token share one budget. What differs between partners is data (RateLimitPolicy); the mechanism is written once.
 * - concurrency caps per kind (reads / writes), counted independently;
 * - a requests-per-window budget (sliding window), so we stay under the partner's limit instead of probing it;
 * - a global pause: when any caller gets a 429 every caller waits until Retry-After has passed before sending.
 * Given a shared budget (rate-budget.ts: a token bucket per credential in PostgreSQL), the requests-per-window part
 * and the pause also hold across worker processes: requests spend tokens leased from the store, and a 429 pauses the
 * credential in the store, which every other process learns at its next lease (within a lease's life, 20 to 200 ms).
 */
export interface RateLimitPolicy {
  maxConcurrentReads: number;
  maxConcurrentWrites: number;
  requestsPerWindow: number;
  windowMs: number;
  /**
   * The partner's limit is a token bucket holding this many requests (Jira's burst limit), refilled at no less than our
   * requestsPerWindow per windowMs; without it the partner's limit is a sliding window of requestsPerWindow. A bucket
   * lets the shared budget lease larger slices for longer (see budgetPlan), so the store's latency is no gap.
   */
  burst?: number;
  /** Pause used when a 429 carries no Retry-After. */
  defaultPauseMs: number;
}

export type RequestKind = 'read' | 'write';

interface Waiter {
  wake: () => void;
}

/** Where a limiter takes its budget across processes: the store and this credential's key in it (a hash). */
export interface SharedBudget {
  store: RateBudgetStore;
  key: string;
}

export class CredentialRateLimiter {
  private readonly active: Record<RequestKind, number> = { read: 0, write: 0 };
  private sentAt: number[] = [];
  private pausedUntil = 0;
  private waiters: Waiter[] = [];
  /** For tests and metrics: the highest concurrency this limiter ever let through. */
  readonly peak: Record<RequestKind, number> = { read: 0, write: 0 };
  /** Leases taken and not yet spent or lapsed, oldest first; each keeps its own expiry (the bound needs it). */
  private leases: { tokens: number; expiresAt: number }[] = [];
  /** When the store last had nothing to grant: until then, with no lease left, callers wait. */
  private emptyUntil = 0;
  private leasing: Promise<void> | undefined;
  /** A failed store call: thrown to the next caller (the activity retries), never swallowed. */
  private storeError: unknown;
  private readonly plan: BudgetPlan;

  constructor(
    readonly policy: RateLimitPolicy,
    private readonly now: () => number = Date.now,
    private readonly shared?: SharedBudget,
  ) {
    this.plan = budgetPlan(policy);
  }

  /** Whether the budget comes from a store shared with other processes. */
  get isShared(): boolean {
    return this.shared !== undefined;
  }

  /** Runs `fn` when a slot, budget and no pause allow it; a 429 it throws pauses every caller of this credential. */
  async run<T>(kind: RequestKind, fn: () => Promise<T>): Promise<T> {
    await this.acquire(kind);
    try {
      return await fn();
    } catch (err) {
      if (isPartnerError(err) && err.status === 429) {
        this.pause(err.decision.retry ? (err.decision.waitMs ?? this.policy.defaultPauseMs) : this.policy.defaultPauseMs);
      }
      throw err;
    } finally {
      this.active[kind] -= 1;
      this.wakeAll();
    }
  }

  /** Nobody sends before `ms` from now (extends, never shortens, a pause already in force). */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
    if (this.shared) {
      // Tokens leased before the pause are not spent after it (it may outlast the lease anyway).
      this.leases = [];
      this.shared.store.pause(this.shared.key, ms).catch((err: unknown) => (this.storeError = err));
    }
    this.wakeAll();
  }

  get pausedUntilMs(): number {
    return this.pausedUntil;
  }

  private cap(kind: RequestKind): number {
    return kind === 'read' ? this.policy.maxConcurrentReads : this.policy.maxConcurrentWrites;
  }

  /** ms to wait before the budget/pause allow a request; 0 when it may go now. */
  private timeBlocked(now: number): number {
    const windowStart = now - this.policy.windowMs;
    while (this.sentAt.length > 0 && (this.sentAt[0] ?? 0) <= windowStart) this.sentAt.shift();
    const budgetWait =
      this.sentAt.length >= this.policy.requestsPerWindow
        ? (this.sentAt[this.sentAt.length - this.policy.requestsPerWindow] ?? now) + this.policy.windowMs - now
        : 0;
    return Math.max(0, this.pausedUntil - now, budgetWait, this.shared && this.leased(now) === 0 ? this.emptyUntil - now : 0);
  }

  /** Tokens in leases still alive at `now` (lapsed ones are dropped). */
  private leased(now: number): number {
    this.leases = this.leases.filter((l) => l.expiresAt > now && l.tokens > 0);
    return this.leases.reduce((n, l) => n + l.tokens, 0);
  }

  private async acquire(kind: RequestKind): Promise<void> {
    for (;;) {
      if (this.storeError !== undefined) {
        const err = this.storeError;
        this.storeError = undefined;
        throw err;
      }
      const now = this.now();
      const wait = this.timeBlocked(now);
      const full = this.active[kind] >= this.cap(kind);
      if (wait === 0 && !full && this.shared) {
        const left = this.leased(now);
        if (left === 0) {
          await this.takeLease(this.shared);
          continue;
        }
        // The next lease is asked for while half of this one is left, so the store's latency is not a gap in sending.
        if (left <= this.plan.leaseSize / 2 && !this.leasing) void this.takeLease(this.shared);
        this.leases[0]!.tokens -= 1;
      }
      if (wait === 0 && !full) {
        this.active[kind] += 1;
        this.peak[kind] = Math.max(this.peak[kind], this.active[kind]);
        this.sentAt.push(now);
        return;
      }
      await this.sleep(full && wait === 0 ? undefined : Math.max(wait, 1));
    }
  }

  /** One lease request at a time per limiter: callers arriving meanwhile wait for it and then spend its tokens. */
  private takeLease(shared: SharedBudget): Promise<void> {
    this.leasing ??= (async () => {
      try {
        const grant = await shared.store.take(shared.key, this.plan.bucket, this.plan.leaseSize);
        const at = this.now();
        if (grant.granted > 0) this.leases.push({ tokens: grant.granted, expiresAt: at + this.plan.leaseTtlMs });
        else if (grant.pausedForMs > 0) this.pausedUntil = Math.max(this.pausedUntil, at + grant.pausedForMs);
        else this.emptyUntil = at + grant.waitMs;
      } catch (err) {
        this.storeError = err;
      } finally {
        this.leasing = undefined;
        this.wakeAll();
      }
    })();
    return this.leasing;
  }

  /** Resolves after `ms`, or when a slot frees up / the pause changes (then the loop re-checks). */
  private sleep(ms: number | undefined): Promise<void> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const waiter: Waiter = {
        wake: () => {
          if (timer) clearTimeout(timer);
          resolve();
        },
      };
      if (ms !== undefined) {
        timer = setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          resolve();
        }, ms);
      }
      this.waiters.push(waiter);
    });
  }

  private wakeAll(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) w.wake();
  }
}

/** Keyed by a hash of the credential, never the credential itself (keys end up in heap dumps and debug output). */
export function credentialKey(partner: string, credential: string): string {
  return `${partner}:${createHash('sha256').update(credential).digest('hex').slice(0, 32)}`;
}

/**
 * One limiter per (partner, credential). A connector takes a registry as a dependency; the process-wide default
 * below is what makes every caller of one token share one budget without passing a registry around.
 */
export class RateLimiterRegistry {
  private readonly limiters = new Map<string, CredentialRateLimiter>();

  constructor(
    private readonly now: () => number = Date.now,
    private store?: RateBudgetStore,
  ) {}

  /**
   * From now on, limiters this registry creates take their budget from `store`, shared with every process using it
   * (the worker wires PostgreSQL's at start, before any connector runs; limiters made before keep their own budget).
   */
  useSharedBudget(store: RateBudgetStore): void {
    this.store = store;
  }

  for(partner: string, credential: string, policy: RateLimitPolicy): CredentialRateLimiter {
    const key = credentialKey(partner, credential);
    let limiter = this.limiters.get(key);
    if (!limiter) {
      limiter = new CredentialRateLimiter(policy, this.now, this.store ? { store: this.store, key } : undefined);
      this.limiters.set(key, limiter);
    }
    return limiter;
  }

  keys(): string[] {
    return [...this.limiters.keys()];
  }
}

export const sharedRateLimiters = new RateLimiterRegistry();
