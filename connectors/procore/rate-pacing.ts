import { parseRetryAfter } from '../../core/partner-error';
import type { CredentialRateLimiter, RateLimitPolicy } from '../http/rate-limiter';

/**
 * Procore reports one of two windows (an hourly one and a 10-second spike one) in `X-Rate-Limit-Limit/Remaining/Reset`,
 * whichever the app is most likely to exceed first; Reset is unix seconds
 * (https://developers.procore.com/documentation/rate-limiting). The headers are the source of truth, so the client's
 * own budget is only a concurrency cap: pacing comes from what each answer says.
 */
export const procoreRateLimitPolicy: RateLimitPolicy = {
  maxConcurrentReads: 4,
  maxConcurrentWrites: 4,
  // No assumed limit ("don't assume a single fixed window"): the headers decide.
  requestsPerWindow: 1_000_000,
  windowMs: 1_000,
  defaultPauseMs: 10_000,
};

const HOUR_MS = 3_600_000;
/** Reset is whole seconds: a little extra so the first request after the pause lands in the new window. */
const RESET_MARGIN_MS = 250;

export interface RateLimitReading {
  limit: number;
  remaining: number;
  /** ms from now (by the answer's own Date header, so clock skew does not matter) until the reported window resets. */
  untilResetMs: number;
}

type Headers = Record<string, string | undefined>;

/** The X-Rate-Limit-* headers of an answer, measured from its `Date` header (Procore's rate-limit-handling guide). */
export function readRateLimit(headers: Headers, localNow: number): RateLimitReading | undefined {
  const limit = Number(headers['x-rate-limit-limit']);
  const remaining = Number(headers['x-rate-limit-remaining']);
  const reset = Number(headers['x-rate-limit-reset']);
  if (![limit, remaining, reset].every(Number.isFinite) || headers['x-rate-limit-reset'] === undefined) return undefined;
  const serverNow = headers.date ? Date.parse(headers.date) : NaN;
  const now = Number.isNaN(serverNow) ? localNow : serverNow;
  return { limit, remaining, untilResetMs: Math.min(HOUR_MS, Math.max(0, reset * 1000 - now)) };
}

/**
 * After every answer: "when X-Rate-Limit-Remaining reaches 0, pause requests until after X-Rate-Limit-Reset" - or
 * earlier, when what is left is no more than the other requests we still have in flight (they count too). That keeps
 * 429s rare without assuming either window's size.
 */
export function paceFromHeaders(limiter: CredentialRateLimiter, headers: Headers, localNow: number, othersInFlight = 0): RateLimitReading | undefined {
  const reading = readRateLimit(headers, localNow);
  if (!reading) return undefined;
  if (reading.remaining <= othersInFlight) limiter.pause(reading.untilResetMs + RESET_MARGIN_MS);
  return reading;
}

/**
 * How long to wait after a 429: until X-Rate-Limit-Reset, or Retry-After when present (the error reference says a
 * 429 may carry it); after a 503 under heavy load: Retry-After (https://developers.procore.com/documentation/rate-limiting).
 */
export function waitAfter(status: number, headers: Headers, localNow: number, defaultMs: number): number {
  const retryAfter = parseRetryAfter(headers['retry-after'], localNow);
  if (retryAfter !== undefined) return retryAfter;
  if (status === 429) {
    const reading = readRateLimit(headers, localNow);
    if (reading) return reading.untilResetMs + RESET_MARGIN_MS;
  }
  return defaultMs;
}
