import { memoryTokenStore, type AccessToken, type OAuthTokenStore } from '../../core/oauth-token-store';
import { createPartnerHttp } from '../http/partner-request';
import { noTelemetry, type PartnerTelemetry } from '../http/telemetry';
import type { JaggaerAuth } from './config';
import { JAGGAER } from './provider';
import { requestToken } from './request-token';

/**
 * Keycloak's default access token lifespan is 5 minutes (https://www.keycloak.org/docs/latest/server_admin/#_timeouts,
 * "Access Token Lifespan"); JAGGAER's is UNCONFIRMED, so the margin is a share of whatever `expires_in` says.
 */
const DEFAULT_REFRESH_MARGIN_MS = 60_000;

export interface AccessTokenDeps {
  tokenUrl: string;
  /** Shared with every other caller for the same connection (db/oauth-tokens.ts: encrypted, locked across workers). */
  store?: OAuthTokenStore;
  telemetry?: PartnerTelemetry;
  timeoutMs?: number;
  /** Get a new token when the current one expires within this margin (default 60 s, capped at half its lifetime). */
  refreshMarginMs?: number;
  now?: () => number;
}

export interface JaggaerAccessTokens {
  /** Key for the rate limiter: the client id, the same across tokens. */
  readonly limiterKey: string;
  current(): Promise<string>;
  /** After JAGGAER answered 401 to `rejected`: a new token, fetched once for every caller that got the same 401. */
  renewAfterRejection(rejected: string): Promise<string>;
}

export function createJaggaerAccessTokens(auth: JaggaerAuth, deps: AccessTokenDeps): JaggaerAccessTokens {
  const now = deps.now ?? Date.now;
  const store = deps.store ?? memoryTokenStore();
  const telemetry = deps.telemetry ?? noTelemetry;
  const http = createPartnerHttp({ partner: JAGGAER, baseUrl: deps.tokenUrl, timeoutMs: deps.timeoutMs, telemetry });
  let cached: AccessToken | undefined;
  let lifetimeMs = 300_000;
  let inflight: Promise<AccessToken> | undefined;

  const margin = () => Math.min(deps.refreshMarginMs ?? DEFAULT_REFRESH_MARGIN_MS, lifetimeMs / 2);
  const usable = (t: AccessToken | undefined, rejected?: string): t is AccessToken =>
    t !== undefined && t.accessToken !== rejected && t.expiresAt.getTime() - margin() > now();

  async function fetchToken(): Promise<AccessToken> {
    try {
      const token = await requestToken(http, auth, now);
      lifetimeMs = Math.max(1000, token.expiresAt.getTime() - now());
      telemetry.tokenRefreshed(JAGGAER, 'ok');
      return token;
    } catch (err) {
      telemetry.tokenRefreshed(JAGGAER, 'failed');
      throw err;
    }
  }

  /**
   * Single flight: callers of this connector share one promise; across connectors and workers the store's lock does
   * the same, and the stored token is read again under it, so a token another worker just fetched is reused.
   */
  function acquire(rejected?: string): Promise<AccessToken> {
    inflight ??= (async () => {
      const stored = await store.load();
      if (usable(stored, rejected)) return stored;
      return store.exclusive(async (locked) => (usable(locked, rejected) ? locked : fetchToken()));
    })()
      .then((token) => (cached = token))
      .finally(() => (inflight = undefined));
    return inflight;
  }

  return {
    limiterKey: `client_credentials:${auth.clientId}`,
    async current() {
      return usable(cached) ? cached.accessToken : (await acquire()).accessToken;
    },
    async renewAfterRejection(rejected) {
      if (cached?.accessToken === rejected) cached = undefined;
      let token = await acquire(rejected);
      // We joined a flight that started before this 401 and brought back the refused token: once more.
      if (token.accessToken === rejected) token = await acquire(rejected);
      return token.accessToken;
    },
  };
}
