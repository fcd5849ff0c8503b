import { createOAuthAccessTokens, type ConnectionCredentials, type TokenDeps } from '../oauth/token-manager';
import type { ProcurifyConfig } from './config';
import { PROCURIFY } from './provider';
import { requestAccessToken } from './request-token';

/**
 * Refreshed this long before Procurify's 24-hour expiry, so a sync running across the boundary never sends a token
 * that dies mid-page (and a clock skew of minutes does not matter).
 */
const DEFAULT_REFRESH_MARGIN_MS = 60 * 60_000;

/** The token endpoint lives on the API's own domain (config.baseUrl), so no token URL is asked for. */
export type ProcurifyTokenDeps = TokenDeps;

export type ProcurifyAccessTokens = ConnectionCredentials<string>;

/** Client credentials tokens: no refresh token, a new grant is simply asked for (connectors/oauth/token-manager.ts). */
export function createProcurifyAccessTokens(config: ProcurifyConfig, deps: ProcurifyTokenDeps = {}): ProcurifyAccessTokens {
  const now = deps.now ?? Date.now;
  const tokens = createOAuthAccessTokens(
    {
      partner: PROCURIFY,
      tokenUrl: config.baseUrl,
      refreshMarginMs: deps.refreshMarginMs ?? DEFAULT_REFRESH_MARGIN_MS,
      request: (http) => requestAccessToken(http, config.auth, config.audience, now),
    },
    deps,
  );
  return {
    limiterKey: `client_credentials:${config.baseUrl}:${config.auth.clientId}`,
    current: () => tokens.current(),
    renewAfterRejection: (rejected) => tokens.renewAfterRejection(rejected),
  };
}
