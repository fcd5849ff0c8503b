import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import type { SimClock } from '../kit/clock';

/**
 * Procore's two windows (https://developers.procore.com/documentation/rate-limiting): an hourly limit (60-minute window)
 * and a spike limit (10-second window), per app and company. Every request counts, failed ones too ("A 400, 403, or
 * 404 response consumes quota exactly like a successful call"). The X-Rate-Limit-* headers report the limit most
 * likely to be exceeded first: the spike window unless the hour has fewer requests left; Reset is unix seconds. For
 * the short window "Remaining may increase again after a brief pause as the window rolls forward": it is a rolling
 * window. Over either limit: 429 with the headers (and no Retry-After, as observed by integrators).
 * Defaults: 3,600 per hour (the documented default, "each company DMSA gets its own limit (3,600 requests per hour)")
 * and 25 per 10 s (the documented example).
 */
export const rateLimitSettingsSchema = z.object({ hourly: z.number().int().min(1).default(3600), spike: z.number().int().min(1).default(25), spikeWindowMs: z.number().int().min(100).default(10_000) }).strict();
export type RateLimitSettings = z.infer<typeof rateLimitSettingsSchema>;

const HOUR = 3_600_000;

interface Budget {
  hourStart: number;
  hourCount: number;
  spike: number[];
}

export class RateLimits {
  settings: RateLimitSettings = rateLimitSettingsSchema.parse({});
  private readonly budgets = new Map<string, Budget>();
  readonly counts = { requests: 0, tooManyRequests: 0 };

  constructor(private readonly clock: SimClock) {}

  configure(input: unknown): RateLimitSettings {
    this.settings = rateLimitSettingsSchema.parse({ ...this.settings, ...(input as object) });
    this.budgets.clear();
    return this.settings;
  }

  /** How much of the current hour a key has used (for tests measuring how close a sync ran to the limit). */
  usage(): { key: string; hourCount: number; hourly: number }[] {
    return [...this.budgets.entries()].map(([key, b]) => ({ key, hourCount: b.hourCount, hourly: this.settings.hourly }));
  }

  /** `keyOf` names the budget (the app's client and the company): set by the auth middleware before this runs. */
  middleware(keyOf: (req: Request) => string) {
    return (req: Request, res: Response, next: NextFunction): void => {
      const now = this.clock.nowMs();
      const key = keyOf(req);
      let b = this.budgets.get(key);
      if (!b || now - b.hourStart >= HOUR) {
        b = { hourStart: now, hourCount: 0, spike: [] };
        this.budgets.set(key, b);
      }
      const { hourly, spike, spikeWindowMs } = this.settings;
      b.spike = b.spike.filter((t) => t > now - spikeWindowMs);
      const over = b.hourCount >= hourly || b.spike.length >= spike;
      // Counted whether or not it is refused: every request consumes quota.
      b.hourCount += 1;
      b.spike.push(now);
      this.counts.requests += 1;
      const hourLeft = Math.max(0, hourly - b.hourCount);
      const spikeLeft = Math.max(0, spike - b.spike.length);
      const spikeReset = (b.spike[Math.max(0, b.spike.length - spike)] ?? now) + spikeWindowMs;
      const reportHour = hourLeft < spikeLeft || b.hourCount > hourly;
      res.set({
        'X-Rate-Limit-Limit': String(reportHour ? hourly : spike),
        'X-Rate-Limit-Remaining': String(reportHour ? hourLeft : spikeLeft),
        'X-Rate-Limit-Reset': String(Math.ceil((reportHour ? b.hourStart + HOUR : spikeReset) / 1000)),
        Date: new Date(now).toUTCString(),
      });
      if (!over) return next();
      this.counts.tooManyRequests += 1;
      res.status(429).json({ message: 'You have surpassed the max number of requests for an hour. Please wait until your limit resets.' });
    };
  }
}
