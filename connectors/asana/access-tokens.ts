import type { AccessToken } from '../../core/oauth-token-store';
import { createOAuthAccessTokens, type ConnectionCredentials, type AccessTokenDeps } from '../oauth/token-manager';
import type { AsanaAuth, AsanaOAuth } from './auth';
import { ASANA } from './provider';
import { refreshAccessToken } from './refresh-access-token';

export type { AccessTokenDeps } from '../oauth/token-manager';

/** Asana's access tokens last an hour (https://developers.asana.com/docs/oauth): assumed for one we did not refresh. */
const ACCESS_TOKEN_LIFETIME_MS = 3_600_000;
/** Refreshed this long before expiry, so a call that starts just before the hour does not meet a 401. */
const DEFAULT_REFRESH_MARGIN_MS = 5 * 60_000;

/** Bearer tokens for one connection: a PAT as is (never renewed), OAuth access tokens kept fresh. */
export type AsanaAccessTokens = ConnectionCredentials;

export function createAsanaAccessTokens(auth: AsanaAuth, deps: AccessTokenDeps): AsanaAccessTokens {
  if (auth.method === 'pat') {
    return { limiterKey: auth.token, current: () => Promise.resolve(auth.token), renewAfterRejection: () => Promise.resolve(undefined) };
  }
  return oauthAccessTokens(auth, deps);
}

function oauthAccessTokens(auth: AsanaOAuth, deps: AccessTokenDeps): AsanaAccessTokens {
  const now = deps.now ?? Date.now;
  const tokens = createOAuthAccessTokens<AccessToken>(
    {
      partner: ASANA,
      tokenUrl: deps.tokenUrl,
      refreshMarginMs: deps.refreshMarginMs ?? DEFAULT_REFRESH_MARGIN_MS,
      request: (http) => refreshAccessToken(http, auth, now),
      seed: () => (auth.accessToken ? { accessToken: auth.accessToken, expiresAt: new Date(now() + ACCESS_TOKEN_LIFETIME_MS) } : undefined),
    },
    deps,
  );
  return {
    limiterKey: `oauth2:${auth.clientId}:${auth.refreshToken}`,
    current: () => tokens.current(),
    async renewAfterRejection(rejected) {
      try {
        return await tokens.renewAfterRejection(rejected);
      } catch (err) {
        // The refresh failed, so the refused token is still stored: mark it expired, or every other caller (and
        // authorize()) would take it for good and meet the same 401 one write at a time.
        await tokens.store
          .exclusive((locked) => Promise.resolve(locked && locked.accessToken !== rejected ? locked : { accessToken: rejected, expiresAt: new Date(0) }))
          .catch(() => undefined);
        throw err;
      }
    },
  };
}
