import { parseRetryAfter } from '../../core/partner-error';
import type { CredentialRateLimiter } from '../http/rate-limiter';
import { ISSUE_WRITE_LIMITS, RATE_LIMIT_HEADERS as H, rateLimitKind, type RateLimitKind } from './provider';

/**
 * Pacing from Jira's headers (https://developer.atlassian.com/cloud/jira/platform/rate-limiting/), so 429s stay rare:
 * - while `X-RateLimit-Remaining` is under 20% (`X-RateLimit-NearLimit: true`), requests are spread evenly over what is
 *   left of the hour (the quota resets at the top of each UTC hour);
 * - a 429 pauses what it concerns: the whole credential for quota and burst limits (quota: until the reset, which
 *   `Retry-After` counts down to, "no gradual throttling"), only that issue's writes for `jira-per-issue-on-write`;
 * - every issue's writes are paced below 20 per 2 s and 100 per 30 s before they are sent.
 */
export interface RateLimitAnswer {
  kind: RateLimitKind;
  waitMs: number;
  reason: string;
}

const HOUR = 3_600_000;
/** A window full of writes still in flight is re-checked this often (their completion frees the slot). */
const IN_FLIGHT_POLL_MS = 100;

export function readRateLimit(headers: Record<string, string | undefined>, now: number, defaultMs: number): RateLimitAnswer {
  const reason = headers[H.reason] ?? 'unknown';
  const kind = rateLimitKind(reason);
  const resetAt = headers[H.reset] ? Date.parse(headers[H.reset]!) : NaN;
  const retryAfter = parseRetryAfter(headers[H.retryAfter], now);
  const untilReset = Number.isNaN(resetAt) ? undefined : Math.max(0, resetAt - now);
  // Retry-After first: it is relative, so a clock skew between us and Jira cannot stretch or cut the wait; for a
  // quota refusal it runs to the reset. X-RateLimit-Reset (absolute) only when Jira sent no Retry-After.
  const waitMs = kind === 'quota' ? (retryAfter ?? untilReset ?? HOUR - (now % HOUR)) : (retryAfter ?? defaultMs);
  return { kind, waitMs, reason };
}

/** After any answer: under 20% of the quota left, leave a gap of (time to the hourly reset / requests left). */
export function paceFromQuota(limiter: CredentialRateLimiter, headers: Record<string, string | undefined>, now: number): void {
  const remaining = Number(headers[H.remaining]);
  const limit = Number(headers[H.limit]);
  if (!Number.isFinite(remaining) || !Number.isFinite(limit) || limit <= 0) return;
  if (headers[H.nearLimit] !== 'true' && remaining >= limit * 0.2) return;
  const gap = Math.ceil((HOUR - (now % HOUR)) / Math.max(1, remaining));
  limiter.pause(Math.min(gap, HOUR));
}

/** Per-issue write pacing and per-issue pauses, for one credential. */
export class IssueWritePacer {
  private readonly sent = new Map<string, number[]>();
  private readonly pausedUntil = new Map<string, number>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly limits = ISSUE_WRITE_LIMITS,
  ) {}

  pause(issue: string, ms: number): void {
    this.pausedUntil.set(issue, Math.max(this.pausedUntil.get(issue) ?? 0, this.now() + ms));
  }

  /**
   * Waits until a write to `issue` fits every window and holds a slot until `release()`. A write counts from when it
   * is taken until it completes (then at its completion time): Jira counts arrivals, which come later than our
   * decision when the write waits for a concurrency slot, so counting from the decision alone lets a 2 s window of
   * arrivals hold more than we sent in a 2 s window of decisions.
   */
  async acquire(issue: string): Promise<() => void> {
    for (;;) {
      const now = this.now();
      const longest = Math.max(...this.limits.map((l) => l.windowMs));
      const times = (this.sent.get(issue) ?? []).filter((t) => t > now - longest);
      let wait = Math.max(0, (this.pausedUntil.get(issue) ?? 0) - now);
      for (const l of this.limits) {
        const inWindow = times.filter((t) => t > now - l.windowMs).sort((a, b) => a - b);
        if (inWindow.length >= l.max) wait = Math.max(wait, Math.min(inWindow[inWindow.length - l.max]! + l.windowMs - now + 1, IN_FLIGHT_POLL_MS));
      }
      if (wait === 0) {
        times.push(Number.POSITIVE_INFINITY);
        this.sent.set(issue, times);
        if (this.sent.size > 10_000) this.forgetIdle(now - longest);
        let released = false;
        return () => {
          if (released) return;
          released = true;
          const list = this.sent.get(issue) ?? [];
          const i = list.indexOf(Number.POSITIVE_INFINITY);
          if (i >= 0) list[i] = this.now();
          else list.push(this.now());
          this.sent.set(issue, list);
        };
      }
      await new Promise((r) => setTimeout(r, wait));
    }
  }

  private forgetIdle(before: number): void {
    for (const [k, v] of this.sent) if ((v[v.length - 1] ?? 0) <= before) this.sent.delete(k);
  }
}
