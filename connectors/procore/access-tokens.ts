import { createOAuthAccessTokens, type AccessTokenDeps, type ConnectionCredentials } from '../oauth/token-manager';
import type { ProcoreAuth } from './config';
import { PROCORE, requestProcoreToken } from './request-token';

/** Tokens live 5,400 s; a new one is fetched five minutes before the old one expires. */
const DEFAULT_REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * DMSA tokens for one connection through the shared token manager: cached encrypted in oauth_tokens (side
 * `procore`), refreshed before expiry, one refresh at a time across workers, renewed once after a 401.
 */
export function createProcoreAccessTokens(auth: ProcoreAuth, deps: AccessTokenDeps): ConnectionCredentials<string> {
  const now = deps.now ?? Date.now;
  const tokens = createOAuthAccessTokens(
    { partner: PROCORE, tokenUrl: deps.tokenUrl, refreshMarginMs: deps.refreshMarginMs ?? DEFAULT_REFRESH_MARGIN_MS, request: (http) => requestProcoreToken(http, auth, now) },
    deps,
  );
  return { limiterKey: `client_credentials:${auth.clientId}`, current: () => tokens.current(), renewAfterRejection: (rejected) => tokens.renewAfterRejection(rejected) };
}
