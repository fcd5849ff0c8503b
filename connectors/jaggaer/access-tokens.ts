import { createOAuthAccessTokens, type ConnectionCredentials, type AccessTokenDeps } from '../oauth/token-manager';
import type { JaggaerAuth } from './config';
import { JAGGAER } from './provider';
import { requestToken } from './request-token';

export type { AccessTokenDeps } from '../oauth/token-manager';

/**
 * Keycloak's default access token lifespan is 5 minutes (https://www.keycloak.org/docs/latest/server_admin/#_timeouts,
 * "Access Token Lifespan"); JAGGAER's is UNCONFIRMED, so the margin is a share of whatever `expires_in` says.
 */
const DEFAULT_REFRESH_MARGIN_MS = 60_000;

export type JaggaerAccessTokens = ConnectionCredentials<string>;

/** Client credentials tokens; the refresh margin (default 60 s) is capped at half the last token's lifetime. */
export function createJaggaerAccessTokens(auth: JaggaerAuth, deps: AccessTokenDeps): JaggaerAccessTokens {
  const now = deps.now ?? Date.now;
  let lifetimeMs = 300_000;
  const tokens = createOAuthAccessTokens(
    {
      partner: JAGGAER,
      tokenUrl: deps.tokenUrl,
      refreshMarginMs: () => Math.min(deps.refreshMarginMs ?? DEFAULT_REFRESH_MARGIN_MS, lifetimeMs / 2),
      async request(http) {
        const token = await requestToken(http, auth, now);
        lifetimeMs = Math.max(1000, token.expiresAt.getTime() - now());
        return token;
      },
    },
    deps,
  );
  return {
    limiterKey: `client_credentials:${auth.clientId}`,
    current: () => tokens.current(),
    renewAfterRejection: (rejected) => tokens.renewAfterRejection(rejected),
  };
}
