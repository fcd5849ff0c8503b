import type { RateLimitPolicy } from '../http/rate-limiter';

export const PROCURIFY = 'procurify';

/**
 * Procurify as data (procurify_openapi.yaml `servers`, `/oauth/token`; https://developer.procurify.com/tag/oauth):
 * one host per customer, `https://{user_domain}.procurify.com`, OAuth2 client credentials with a fixed audience, and
 * a second header on every call besides the bearer token.
 */
export const PROCURIFY_TOKEN_PATH = '/oauth/token';
export const PROCURIFY_AUDIENCE = 'https://api.procurify.com/';
export const PROCURIFY_CLIENT_HEADER = { name: 'X-Procurify-Client', value: 'api' } as const;
/** "cache it until it expires (24 hrs)": assumed when an answer leaves expires_in out. */
export const PROCURIFY_TOKEN_LIFETIME_S = 86_400;

/**
 * Procurify publishes no numeric rate limit; its API description says access can be denied and to contact them when
 * large requests time out, "to avoid suspension" (procurify_openapi.yaml `info.description`). So we bound ourselves:
 * a few concurrent calls per credential, a self-imposed budget well under anything a Django API would notice, and a
 * pause on 429 (Retry-After when sent, else `defaultPauseMs`). 5xx answers are retried with exponential backoff.
 */
export const procurifyRateLimitPolicy: RateLimitPolicy = {
  maxConcurrentReads: 4,
  maxConcurrentWrites: 2,
  requestsPerWindow: 600,
  windowMs: 60_000,
  defaultPauseMs: 2000,
};

/** Largest page we ask for; Procurify's list endpoints take `page_size` (spec parameters on every list). */
export const PROCURIFY_MAX_PAGE_SIZE = 100;

/** https://acme.procurify.com for domain `acme` (spec `servers[0].url`). */
export function procurifyBaseUrlFor(domain: string): string {
  return `https://${domain}.procurify.com`;
}
