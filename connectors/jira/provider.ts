import type { RateLimitPolicy } from '../http/rate-limiter';

export const JIRA = 'jira';

/**
 * Jira Cloud's limits as data (https://developer.atlassian.com/cloud/jira/platform/rate-limiting/):
 * - burst per tenant, endpoint and method, a token bucket: GET/POST 100 rps, PUT/DELETE 50 rps. We budget 97 requests
 *   per second over all endpoints and methods together (the credential limiter is not per endpoint, so one busy
 *   endpoint never bursts), drawn from a bucket the size of Jira's (budgetPlan), and PUT/DELETE also from their own
 *   48 per second (jiraPutDeleteRateLimitPolicy);
 * - an hourly points quota (OAuth apps): paced from `X-RateLimit-Remaining` (see rate-pacing.ts);
 * - per-issue writes: 20 per 2 s and 100 per 30 s, paced per issue below the limit (ISSUE_WRITE_LIMITS).
 */
export const jiraRateLimitPolicy: RateLimitPolicy = {
  maxConcurrentReads: 20,
  maxConcurrentWrites: 10,
  requestsPerWindow: 97,
  windowMs: 1000,
  burst: 100,
  defaultPauseMs: 2000,
};

/** PUT and DELETE: 50 rps per endpoint (same page); budgeted at 48 per second over all their endpoints together. */
export const jiraPutDeleteRateLimitPolicy: RateLimitPolicy = { ...jiraRateLimitPolicy, requestsPerWindow: 48, burst: 50 };

/** The documented per-issue write limits with a margin (we stay at 90%), oldest-first sliding windows. */
export const ISSUE_WRITE_LIMITS = [
  { max: 18, windowMs: 2000 },
  { max: 90, windowMs: 30_000 },
];

/** Rate-limit headers Jira sends, as data (same page, "Rate limit responses"). */
export const RATE_LIMIT_HEADERS = {
  retryAfter: 'retry-after',
  reason: 'ratelimit-reason',
  limit: 'x-ratelimit-limit',
  remaining: 'x-ratelimit-remaining',
  /** ISO 8601, sent with 429 only. */
  reset: 'x-ratelimit-reset',
  nearLimit: 'x-ratelimit-nearlimit',
} as const;

/** `RateLimit-Reason` values and what they mean for pacing. */
export type RateLimitKind = 'quota' | 'burst' | 'per-issue';
export function rateLimitKind(reason: string | undefined): RateLimitKind {
  if (reason?.startsWith('jira-quota')) return 'quota';
  if (reason === 'jira-per-issue-on-write') return 'per-issue';
  return 'burst';
}

/** Atlassian's OAuth hosts (https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps/). */
export const ATLASSIAN_GATEWAY = 'https://api.atlassian.com';
export const ATLASSIAN_TOKEN_URL = 'https://auth.atlassian.com/oauth/token';

/** The REST base for a connection: the site for Basic auth, `{gateway}/ex/jira/{cloudId}` for OAuth. */
export function restBaseUrl(siteOrGateway: string, cloudId?: string): string {
  const root = siteOrGateway.replace(/\/+$/, '');
  return cloudId ? `${root}/ex/jira/${encodeURIComponent(cloudId)}` : root;
}
