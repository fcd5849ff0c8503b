import { z } from 'zod';
import { memoryTokenStore, type AccessToken, type OAuthTokenStore } from '../../core/oauth-token-store';
import { PartnerError } from '../../core/partner-error';
import { createPartnerHttp } from '../http/partner-request';
import { noTelemetry, type PartnerTelemetry } from '../http/telemetry';
import type { JiraAuth, JiraOAuth } from './auth';
import { JIRA } from './provider';
import { refreshAccessToken } from './refresh-access-token';

const DEFAULT_REFRESH_MARGIN_MS = 5 * 60_000;
const ASSUMED_LIFETIME_MS = 3_600_000;

/**
 * Atlassian rotates refresh tokens, so the newest refresh token must be shared exactly like the access token: both
 * are sealed together in the one encrypted value the token store keeps (core/oauth-token-store.ts, table
 * oauth_tokens). A value written before rotation was handled (a bare access token) still reads.
 */
const sealedSchema = z.object({ a: z.string().min(1), r: z.string().min(1) }).strict();
interface Pair {
  accessToken: string;
  refreshToken: string | undefined;
  expiresAt: Date;
}
function unpack(t: AccessToken | undefined): Pair | undefined {
  if (!t) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(t.accessToken);
  } catch {
    parsed = undefined;
  }
  const s = sealedSchema.safeParse(parsed);
  return s.success ? { accessToken: s.data.a, refreshToken: s.data.r, expiresAt: t.expiresAt } : { accessToken: t.accessToken, refreshToken: undefined, expiresAt: t.expiresAt };
}
const pack = (p: { accessToken: string; refreshToken: string; expiresAt: Date }): AccessToken => ({ accessToken: JSON.stringify({ a: p.accessToken, r: p.refreshToken }), expiresAt: p.expiresAt });

export interface AccessTokenDeps {
  tokenUrl: string;
  store?: OAuthTokenStore;
  telemetry?: PartnerTelemetry;
  timeoutMs?: number;
  refreshMarginMs?: number;
  now?: () => number;
}

/** The Authorization header for one connection: Basic as is, OAuth bearer tokens kept fresh. */
export interface JiraAccessTokens {
  readonly limiterKey: string;
  /** The header value to send now. */
  current(): Promise<string>;
  /** After a 401 to `rejected`: a new header (one refresh for every caller), or undefined when nothing can be renewed. */
  renewAfterRejection(rejected: string): Promise<string | undefined>;
}

export function createJiraAccessTokens(auth: JiraAuth, deps: AccessTokenDeps): JiraAccessTokens {
  if (auth.method === 'basic') {
    const header = `Basic ${Buffer.from(`${auth.email}:${auth.apiToken}`).toString('base64')}`;
    return { limiterKey: `basic:${auth.email}:${auth.apiToken}`, current: () => Promise.resolve(header), renewAfterRejection: () => Promise.resolve(undefined) };
  }
  return oauthTokens(auth, deps);
}

function oauthTokens(auth: JiraOAuth, deps: AccessTokenDeps): JiraAccessTokens {
  const now = deps.now ?? Date.now;
  const margin = deps.refreshMarginMs ?? DEFAULT_REFRESH_MARGIN_MS;
  const store = deps.store ?? memoryTokenStore();
  const telemetry = deps.telemetry ?? noTelemetry;
  const http = createPartnerHttp({ partner: JIRA, baseUrl: deps.tokenUrl, timeoutMs: deps.timeoutMs, telemetry });
  let cached: Pair | undefined;
  let inflight: Promise<Pair> | undefined;
  const usable = (p: Pair | undefined, rejected?: string): p is Pair => p !== undefined && p.accessToken !== rejected && p.expiresAt.getTime() - margin > now();

  async function refresh(latest: Pair | undefined): Promise<AccessToken> {
    try {
      const next = await refreshAccessToken(http, auth, latest?.refreshToken ?? auth.refreshToken, now);
      telemetry.tokenRefreshed(JIRA, 'ok');
      return pack(next);
    } catch (err) {
      telemetry.tokenRefreshed(JIRA, 'failed');
      throw err;
    }
  }

  /** Single flight in this process; the store's lock does the same across workers (and re-reads under it). */
  function acquire(rejected?: string): Promise<Pair> {
    inflight ??= (async () => {
      const stored = unpack(await store.load());
      if (usable(stored, rejected)) return stored;
      const locked = await store.exclusive(async (raw) => {
        const current = unpack(raw);
        if (usable(current, rejected)) return raw!;
        if (!raw && auth.accessToken && auth.accessToken !== rejected) {
          return pack({ accessToken: auth.accessToken, refreshToken: auth.refreshToken, expiresAt: new Date(now() + ASSUMED_LIFETIME_MS) });
        }
        return refresh(current);
      });
      return unpack(locked)!;
    })()
      .then((p) => (cached = p))
      .finally(() => (inflight = undefined));
    return inflight;
  }

  const bearer = (p: Pair) => `Bearer ${p.accessToken}`;
  return {
    limiterKey: `oauth2:${auth.clientId}:${auth.cloudId ?? ''}:${auth.refreshToken}`,
    async current() {
      return bearer(usable(cached) ? cached : await acquire());
    },
    async renewAfterRejection(rejectedHeader) {
      const rejected = rejectedHeader.replace(/^Bearer /, '');
      if (cached?.accessToken === rejected) cached = undefined;
      let p = await acquire(rejected);
      if (p.accessToken === rejected) p = await acquire(rejected);
      if (p.accessToken === rejected) {
        throw new PartnerError('jira: the refreshed access token was refused again', { partner: JIRA, operation: 'refresh', status: 401, decision: { retry: false, reason: 'token refused after refresh' }, code: 'JIRA_UNAUTHORIZED' });
      }
      return bearer(p);
    },
  };
}
