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
/** The spike window's length ("a 10-second window", https://developers.procore.com/documentation/rate-limiting). */
export const SPIKE_WINDOW_MS = 10_000;
/** After the oldest request of a full spike window is that old (by our clock), a little more before the next one. */
const ANSWER_MARGIN_MS = 100;
/**
 * Reset is rounded up to whole seconds and Date down to whole seconds, so the headers' time to the reset is up to 2 s
 * longer than the window's: waiting it out would leave about a tenth of a 10-second window unused every window.
 */
const HEADER_ROUNDING_MS = 2_000;

/**
 * When each answer of one credential and company came back (our clock), newest last: Procore counts every request,
 * refused ones too, so the oldest request of a full spike window is one of these, and it leaves the rolling window
 * no later than 10 s after its answer came.
 */
export class AnswerLog {
  private times: number[] = [];

  constructor(private readonly keep = 1_000) {}

  add(at: number): void {
    this.times.push(at);
    if (this.times.length > 2 * this.keep) this.times = this.times.slice(-this.keep);
  }

  /** The answer `n` back from the newest (1 = the newest); undefined when fewer were logged. */
  nthLatest(n: number): number | undefined {
    return n >= 1 && n <= this.times.length ? this.times[this.times.length - n] : undefined;
  }
}

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
 *
 * When the reported window resets within about 10 s it is the spike window, which rolls: its first slot frees when its
 * oldest request is 10 s old. Given the answer log, the pause ends then (the oldest request Procore counts, less the
 * ones still in flight that it may already count, is an answer we logged: no earlier than that answer + 10 s), and
 * never more than the headers' rounding before their Reset, so requests of another process in the window (which our
 * log lacks) cost at most a 429 or two. The request after a pause goes alone; its answer says what is left.
 */
export function paceFromHeaders(limiter: CredentialRateLimiter, headers: Headers, localNow: number, othersInFlight = 0, answers?: AnswerLog): RateLimitReading | undefined {
  const reading = readRateLimit(headers, localNow);
  if (!reading) return undefined;
  if (reading.remaining <= othersInFlight) limiter.pause(pauseFor(reading, localNow, othersInFlight, answers));
  return reading;
}

function pauseFor(reading: RateLimitReading, localNow: number, othersInFlight: number, answers: AnswerLog | undefined): number {
  const byHeaders = reading.untilResetMs + RESET_MARGIN_MS;
  if (!answers || reading.untilResetMs > SPIKE_WINDOW_MS + HEADER_ROUNDING_MS) return byHeaders;
  const oldest = answers.nthLatest(Math.max(1, reading.limit - reading.remaining - othersInFlight));
  if (oldest === undefined) return byHeaders;
  const byLog = oldest + SPIKE_WINDOW_MS + ANSWER_MARGIN_MS - localNow;
  return Math.max(reading.untilResetMs - HEADER_ROUNDING_MS, Math.min(byHeaders, byLog), 0);
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
