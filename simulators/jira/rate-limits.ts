import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import type { SimClock } from '../kit/clock';
import { callerOf } from './auth';
import { JiraHttpError, sendError } from './errors';

/**
 * Jira Cloud's three independent limits (https://developer.atlassian.com/cloud/jira/platform/rate-limiting/):
 * 1. points quota per hour per app (OAuth traffic only: "API token-based traffic is not affected"), reset at the top
 *    of each UTC hour; a request costs 1 point plus 1 per object read; once exhausted every request is refused until
 *    the reset ("no gradual throttling");
 * 2. burst per tenant, endpoint and method (token bucket): GET/POST 100 rps, PUT/DELETE 50 rps;
 * 3. per-issue writes: 20 per 2 s and 100 per 30 s.
 * Every refusal is 429 with `Retry-After` (seconds) and `RateLimit-Reason`; quota refusals also carry
 * `X-RateLimit-Limit`, `X-RateLimit-Remaining`, `X-RateLimit-Reset` (ISO 8601). Answers within the quota carry
 * `X-RateLimit-Limit`/`X-RateLimit-Remaining`, and `X-RateLimit-NearLimit: true` below 20% left.
 */
export const rateLimitSettingsSchema = z
  .object({
    pointsPerHour: z.number().int().min(1).default(65_000),
    readRps: z.number().int().min(1).default(100),
    writeRps: z.number().int().min(1).default(50),
    perIssueWrites: z.array(z.object({ max: z.number().int().min(1), windowMs: z.number().int().min(1) }).strict()).default([{ max: 20, windowMs: 2000 }, { max: 100, windowMs: 30_000 }]),
  })
  .strict();
export type RateLimitSettings = z.infer<typeof rateLimitSettingsSchema>;

export type LimitReason = 'jira-quota-global-based' | 'jira-burst-based' | 'jira-per-issue-on-write';

export interface RateLimitStats {
  requests: number;
  refused: Record<LimitReason, number>;
}

interface Bucket {
  tokens: number;
  atMs: number;
}

const HOUR = 3_600_000;

export class RateLimits {
  private settings: RateLimitSettings = rateLimitSettingsSchema.parse({});
  private readonly buckets = new Map<string, Bucket>();
  private readonly issueWrites = new Map<string, number[]>();
  private readonly points = new Map<string, { hour: number; used: number }>();
  private counters: RateLimitStats = { requests: 0, refused: { 'jira-quota-global-based': 0, 'jira-burst-based': 0, 'jira-per-issue-on-write': 0 } };

  constructor(private readonly clock: SimClock) {}

  configure(input: unknown): RateLimitSettings {
    this.settings = rateLimitSettingsSchema.parse({ ...this.settings, ...(input as object) });
    this.points.clear();
    return this.settings;
  }

  current(): RateLimitSettings {
    return { ...this.settings };
  }

  stats(): RateLimitStats {
    return { requests: this.counters.requests, refused: { ...this.counters.refused } };
  }

  resetStats(): void {
    this.counters = { requests: 0, refused: { 'jira-quota-global-based': 0, 'jira-burst-based': 0, 'jira-per-issue-on-write': 0 } };
  }

  /** Mounted on the API router after auth: `req.path` is below /rest/api/3. */
  middleware() {
    return (req: Request, res: Response, next: NextFunction): void => {
      this.counters.requests += 1;
      const caller = callerOf(res);
      const now = this.clock.nowMs();
      const write = req.method !== 'GET';
      if (caller.clientId) {
        const refusal = this.chargePoints(caller.clientId, req.method === 'GET' ? 2 : 1, now, res);
        if (refusal) return this.refuse(res, refusal);
      }
      const template = req.path.replace(/\/(\d+|[A-Z][A-Z0-9]+-\d+)(?=\/|$)/g, '/{id}');
      const burst = this.takeBurst(`${caller.principal}|${req.method}|${template}`, req.method === 'GET' || req.method === 'POST' ? this.settings.readRps : this.settings.writeRps, now);
      if (burst) return this.refuse(res, burst);
      const issue = write ? /^\/issue\/([^/]+)\/?(transitions|comment|properties\/[^/]+)?$/.exec(req.path) : null;
      if (issue && !(req.method === 'POST' && req.path === '/issue')) {
        const refusal = this.takeIssueWrite(issue[1]!, now);
        if (refusal) return this.refuse(res, refusal);
      }
      next();
    };
  }

  private chargePoints(clientId: string, cost: number, now: number, res: Response): JiraHttpError | undefined {
    const hour = Math.floor(now / HOUR);
    let p = this.points.get(clientId);
    if (!p || p.hour !== hour) this.points.set(clientId, (p = { hour, used: 0 }));
    const limit = this.settings.pointsPerHour;
    const resetMs = (hour + 1) * HOUR;
    if (p.used + cost > limit) {
      return this.tooMany('jira-quota-global-based', Math.ceil((resetMs - now) / 1000), {
        'X-RateLimit-Limit': String(limit),
        'X-RateLimit-Remaining': '0',
        'X-RateLimit-Reset': new Date(resetMs).toISOString(),
      });
    }
    p.used += cost;
    const remaining = limit - p.used;
    res.set({ 'X-RateLimit-Limit': String(limit), 'X-RateLimit-Remaining': String(remaining), 'Beta-RateLimit-Policy': `"global-app-quota";q=${limit};w=3600` });
    if (remaining < limit * 0.2) res.set('X-RateLimit-NearLimit', 'true');
    return undefined;
  }

  private takeBurst(key: string, rps: number, now: number): JiraHttpError | undefined {
    const b = this.buckets.get(key) ?? { tokens: rps, atMs: now };
    b.tokens = Math.min(rps, b.tokens + ((now - b.atMs) / 1000) * rps);
    b.atMs = now;
    this.buckets.set(key, b);
    if (b.tokens < 1) return this.tooMany('jira-burst-based', 1);
    b.tokens -= 1;
    return undefined;
  }

  private takeIssueWrite(issue: string, now: number): JiraHttpError | undefined {
    const longest = Math.max(...this.settings.perIssueWrites.map((l) => l.windowMs));
    const times = (this.issueWrites.get(issue) ?? []).filter((t) => t > now - longest);
    for (const l of this.settings.perIssueWrites) {
      const inWindow = times.filter((t) => t > now - l.windowMs);
      if (inWindow.length >= l.max) {
        this.issueWrites.set(issue, times);
        return this.tooMany('jira-per-issue-on-write', Math.max(1, Math.ceil((inWindow[0]! + l.windowMs - now) / 1000)));
      }
    }
    times.push(now);
    this.issueWrites.set(issue, times);
    return undefined;
  }

  private tooMany(reason: LimitReason, retryAfterSeconds: number, extra: Record<string, string> = {}): JiraHttpError {
    return new JiraHttpError(429, ['Rate limit exceeded.'], {}, { 'Retry-After': String(retryAfterSeconds), 'RateLimit-Reason': reason, ...extra });
  }

  private refuse(res: Response, err: JiraHttpError): void {
    this.counters.refused[err.headers['RateLimit-Reason'] as LimitReason] += 1;
    sendError(res, err);
  }
}
