import { type OAuthTokenStore } from '../../core/oauth-token-store';
import { type PartnerTelemetry } from '../http/telemetry';
import { createOAuthAccessTokens } from '../oauth/token-manager';
import { clientCredentialsOf, type PeopleSoftAuth } from './endpoint';
import { PARTNER } from './recognize-error';
import { requestPeopleSoftToken } from './request-token';

/** Most IdPs issue client-credentials tokens for an hour or less; a minute ahead, capped at half the lifetime. */
const DEFAULT_REFRESH_MARGIN_MS = 60_000;

export interface PeopleSoftAuthDeps {
  /** Shared across activities and workers (db/oauth-tokens.ts, side `peoplesoft`); absent = per connector, in memory. */
  tokenStore?: OAuthTokenStore;
  telemetry?: PartnerTelemetry;
  refreshMarginMs?: number;
  now?: () => number;
}

/** Which method a connection authenticates with, and for a fetched token when it expires (for `mlc connections test`). */
export interface PeopleSoftAuthInfo {
  method: 'basic' | 'oauth2-static-token' | 'oauth2-client-credentials';
  expiresAt?: Date;
}

/**
 * What the REST and SOAP clients ask of the credentials: the Authorization value to send now, and another after a
 * 401 (undefined when nothing can be renewed: Basic or a static token). Client-credentials tokens go through the
 * shared token manager: cached (encrypted when the store is the database's), refreshed ahead of expiry, once on a
 * 401, one refresh at a time across workers.
 */
export interface PeopleSoftCredentials {
  authorization(): Promise<string>;
  renewAfterRejection(rejectedAuthorization: string): Promise<string | undefined>;
  info(): Promise<PeopleSoftAuthInfo>;
}

export function createPeopleSoftCredentials(auth: PeopleSoftAuth, deps: PeopleSoftAuthDeps = {}): PeopleSoftCredentials {
  if (auth.method === 'basic') {
    const value = `Basic ${Buffer.from(`${auth.oprid}:${auth.password}`).toString('base64')}`;
    return { authorization: () => Promise.resolve(value), renewAfterRejection: () => Promise.resolve(undefined), info: () => Promise.resolve({ method: 'basic' }) };
  }
  const cc = clientCredentialsOf(auth);
  if (!cc) {
    const value = `Bearer ${auth.accessToken ?? ''}`;
    return { authorization: () => Promise.resolve(value), renewAfterRejection: () => Promise.resolve(undefined), info: () => Promise.resolve({ method: 'oauth2-static-token' }) };
  }
  const now = deps.now ?? Date.now;
  let lifetimeMs = 3_600_000;
  const tokens = createOAuthAccessTokens(
    {
      partner: PARTNER,
      tokenUrl: cc.tokenUrl,
      refreshMarginMs: () => Math.min(deps.refreshMarginMs ?? DEFAULT_REFRESH_MARGIN_MS, lifetimeMs / 2),
      async request(http) {
        const token = await requestPeopleSoftToken(http, cc, now);
        lifetimeMs = Math.max(1_000, token.expiresAt.getTime() - now());
        return token;
      },
    },
    { store: deps.tokenStore, telemetry: deps.telemetry, now },
  );
  const bearer = (token: string) => `Bearer ${token}`;
  return {
    authorization: async () => bearer(await tokens.current()),
    renewAfterRejection: async (rejected) => bearer(await tokens.renewAfterRejection(rejected.replace(/^Bearer /, ''))),
    async info() {
      await tokens.current();
      return { method: 'oauth2-client-credentials', expiresAt: (await tokens.store.load())?.expiresAt };
    },
  };
}
