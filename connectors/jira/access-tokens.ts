import { z } from 'zod';
import type { AccessToken } from '../../core/oauth-token-store';
import { PartnerError } from '../../core/partner-error';
import { createOAuthAccessTokens, type ConnectionCredentials, type AccessTokenDeps } from '../oauth/token-manager';
import type { JiraAuth, JiraOAuth } from './auth';
import { JIRA } from './provider';
import { refreshAccessToken } from './refresh-access-token';

export type { AccessTokenDeps } from '../oauth/token-manager';

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
function unpack(t: AccessToken): Pair {
  let parsed: unknown;
  try {
    parsed = JSON.parse(t.accessToken);
  } catch {
    parsed = undefined;
  }
  const s = sealedSchema.safeParse(parsed);
  return s.success ? { accessToken: s.data.a, refreshToken: s.data.r, expiresAt: t.expiresAt } : { accessToken: t.accessToken, refreshToken: undefined, expiresAt: t.expiresAt };
}
/** Only called with a refresh token (every Pair we create has one; an unsealed stored value is never re-encoded). */
const pack = (p: Pair): AccessToken => ({ accessToken: JSON.stringify({ a: p.accessToken, r: p.refreshToken }), expiresAt: p.expiresAt });

/** The Authorization header for one connection: Basic as is (never renewed), OAuth bearer tokens kept fresh. */
export type JiraAccessTokens = ConnectionCredentials;

export function createJiraAccessTokens(auth: JiraAuth, deps: AccessTokenDeps): JiraAccessTokens {
  if (auth.method === 'basic') {
    const header = `Basic ${Buffer.from(`${auth.email}:${auth.apiToken}`).toString('base64')}`;
    return { limiterKey: `basic:${auth.email}:${auth.apiToken}`, current: () => Promise.resolve(header), renewAfterRejection: () => Promise.resolve(undefined) };
  }
  return oauthTokens(auth, deps);
}

function oauthTokens(auth: JiraOAuth, deps: AccessTokenDeps): JiraAccessTokens {
  const now = deps.now ?? Date.now;
  const tokens = createOAuthAccessTokens<Pair>(
    {
      partner: JIRA,
      tokenUrl: deps.tokenUrl,
      refreshMarginMs: deps.refreshMarginMs ?? DEFAULT_REFRESH_MARGIN_MS,
      request: (http, latest) => refreshAccessToken(http, auth, latest?.refreshToken ?? auth.refreshToken, now),
      seed: () => (auth.accessToken ? { accessToken: auth.accessToken, refreshToken: auth.refreshToken, expiresAt: new Date(now() + ASSUMED_LIFETIME_MS) } : undefined),
      codec: { decode: unpack, encode: pack },
    },
    deps,
  );
  const bearer = (accessToken: string) => `Bearer ${accessToken}`;
  return {
    limiterKey: `oauth2:${auth.clientId}:${auth.cloudId ?? ''}:${auth.refreshToken}`,
    async current() {
      return bearer(await tokens.current());
    },
    async renewAfterRejection(rejectedHeader) {
      const rejected = rejectedHeader.replace(/^Bearer /, '');
      const renewed = await tokens.renewAfterRejection(rejected);
      if (renewed === rejected) {
        throw new PartnerError('jira: the refreshed access token was refused again', { partner: JIRA, operation: 'refresh', status: 401, decision: { retry: false, reason: 'token refused after refresh' }, code: 'JIRA_UNAUTHORIZED' });
      }
      return bearer(renewed);
    },
  };
}
