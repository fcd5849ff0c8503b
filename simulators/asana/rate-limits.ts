import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import type { SimClock } from '../kit/clock';
import { AsanaHttpError, RATE_LIMIT_MESSAGE, sendError } from './errors';
import { authOf } from './auth';

/**
 * Per-token limits (https://developers.asana.com/docs/rate-limits; Asana/developer-docs `_rate-limits.html.md`):
 * - standard: N requests per minute (Free 150, Paid 1,500), evaluated continuously, and rejected requests still count;
 * - concurrent: 50 GET and 15 writes (POST/PUT/PATCH/DELETE) in flight, counted independently.
 * Every limiter answers 429 with `Retry-After` (seconds) and the same message.
 */
export const rateLimitSettingsSchema = z
  .object({
    requestsPerMinute: z.number().int().min(1).default(1500),
    maxConcurrentReads: z.number().int().min(1).default(50),
    maxConcurrentWrites: z.number().int().min(1).default(15),
  })
  .strict();
export type RateLimitSettings = z.infer<typeof rateLimitSettingsSchema>;

interface TokenState {
  sentAt: number[];
  inFlight: { read: number; write: number };
  maxInFlight: { read: number; write: number };
  rejected: { perMinute: number; concurrency: number };
}

const WINDOW_MS = 60_000;

export class RateLimits {
  private settings: RateLimitSettings = rateLimitSettingsSchema.parse({});
  private readonly tokens = new Map<string, TokenState>();

  constructor(private readonly clock: SimClock) {}

  configure(input: unknown): RateLimitSettings {
    this.settings = rateLimitSettingsSchema.parse({ ...this.settings, ...(input as object) });
    return this.settings;
  }

  current(): RateLimitSettings {
    return { ...this.settings };
  }

  /** Per token hash: the highest concurrency seen and how many requests each limiter refused. */
  stats(): Record<string, Omit<TokenState, 'sentAt'> & { inLastMinute: number }> {
    const out: Record<string, Omit<TokenState, 'sentAt'> & { inLastMinute: number }> = {};
    const now = this.clock.nowMs();
    for (const [hash, s] of this.tokens) {
      out[hash] = {
        inFlight: { ...s.inFlight },
        maxInFlight: { ...s.maxInFlight },
        rejected: { ...s.rejected },
        inLastMinute: s.sentAt.filter((t) => t > now - WINDOW_MS).length,
      };
    }
    return out;
  }

  resetStats(): void {
    this.tokens.clear();
  }

  private state(hash: string): TokenState {
    let s = this.tokens.get(hash);
    if (!s) {
      s = { sentAt: [], inFlight: { read: 0, write: 0 }, maxInFlight: { read: 0, write: 0 }, rejected: { perMinute: 0, concurrency: 0 } };
      this.tokens.set(hash, s);
    }
    return s;
  }

  middleware() {
    return (req: Request, res: Response, next: NextFunction): void => {
      const s = this.state(authOf(res).tokenHash);
      const now = this.clock.nowMs();
      while (s.sentAt.length > 0 && (s.sentAt[0] ?? 0) <= now - WINDOW_MS) s.sentAt.shift();
      // Rejected requests count against the budget too (rate-limits doc), so a client that keeps hammering stays out.
      s.sentAt.push(now);
      if (s.sentAt.length > this.settings.requestsPerMinute) {
        s.rejected.perMinute += 1;
        const oldestInWindow = s.sentAt[s.sentAt.length - this.settings.requestsPerMinute] ?? now;
        const retryAfter = Math.max(1, Math.ceil((oldestInWindow + WINDOW_MS - now) / 1000));
        return sendError(res, new AsanaHttpError(429, RATE_LIMIT_MESSAGE, { 'Retry-After': String(retryAfter) }));
      }
      const kind = req.method === 'GET' || req.method === 'HEAD' ? 'read' : 'write';
      const cap = kind === 'read' ? this.settings.maxConcurrentReads : this.settings.maxConcurrentWrites;
      if (s.inFlight[kind] >= cap) {
        s.rejected.concurrency += 1;
        // The docs give no Retry-After value for the concurrency limiter (UNCONFIRMED); a slot frees within seconds.
        return sendError(res, new AsanaHttpError(429, RATE_LIMIT_MESSAGE, { 'Retry-After': '1' }));
      }
      s.inFlight[kind] += 1;
      s.maxInFlight[kind] = Math.max(s.maxInFlight[kind], s.inFlight[kind]);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        s.inFlight[kind] -= 1;
      };
      res.once('finish', release);
      res.once('close', release);
      next();
    };
  }
}
