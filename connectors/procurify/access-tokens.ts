import { memoryTokenStore, type AccessToken, type OAuthTokenStore } from '../../core/oauth-token-store';
import { createPartnerHttp } from '../http/partner-request';
import { noTelemetry, type PartnerTelemetry } from '../http/telemetry';
import type { ProcurifyConfig } from './config';
import { PROCURIFY } from './provider';
import { requestAccessToken } from './request-token';

/**
 * Refreshed this long before Procurify's 24-hour expiry, so a sync running across the boundary never sends a token
 * that dies mid-page (and a clock skew of minutes does not matter).
 */
const DEFAULT_REFRESH_MARGIN_MS = 60 * 60_000;

export interface ProcurifyTokenDeps {
  /** Shared by every activity and worker of the connection (db/oauth-tokens.ts); defaults to this connector's memory. */
  store?: OAuthTokenStore;
  telemetry?: PartnerTelemetry;
  timeoutMs?: number;
  refreshMarginMs?: number;
  now?: () => number;
}

export interface ProcurifyAccessTokens {
  /** Rate-limiter key: the same across refreshes (the client id is not a secret, but it is hashed anyway). */
  readonly limiterKey: string;
  current(): Promise<string>;
  /** After a 401 for `rejected`: a new token, fetched once for every caller that saw the same 401. */
  renewAfterRejection(rejected: string): Promise<string>;
}

/**
 * Client credentials tokens: no refresh token, a new grant is simply asked for. Single flight in-process (one promise)
 * and across workers (the store's advisory lock, re-reading what another worker stored under it).
 */
export function createProcurifyAccessTokens(config: ProcurifyConfig, deps: ProcurifyTokenDeps = {}): ProcurifyAccessTokens {
  const now = deps.now ?? Date.now;
  const margin = deps.refreshMarginMs ?? DEFAULT_REFRESH_MARGIN_MS;
  const store = deps.store ?? memoryTokenStore();
  const telemetry = deps.telemetry ?? noTelemetry;
  const http = createPartnerHttp({ partner: PROCURIFY, baseUrl: config.baseUrl, timeoutMs: deps.timeoutMs, telemetry });
  let cached: AccessToken | undefined;
  let inflight: Promise<AccessToken> | undefined;

  const usable = (t: AccessToken | undefined, rejected?: string): t is AccessToken =>
    t !== undefined && t.accessToken !== rejected && t.expiresAt.getTime() - margin > now();

  async function grant(): Promise<AccessToken> {
    try {
      const token = await requestAccessToken(http, config.auth, config.audience, now);
      telemetry.tokenRefreshed(PROCURIFY, 'ok');
      return token;
    } catch (err) {
      telemetry.tokenRefreshed(PROCURIFY, 'failed');
      throw err;
    }
  }

  function acquire(rejected?: string): Promise<AccessToken> {
    inflight ??= (async () => {
      const stored = await store.load();
      if (usable(stored, rejected)) return stored;
      return store.exclusive(async (locked) => (usable(locked, rejected) ? locked : grant()));
    })()
      .then((token) => (cached = token))
      .finally(() => (inflight = undefined));
    return inflight;
  }

  return {
    limiterKey: `client_credentials:${config.baseUrl}:${config.auth.clientId}`,
    async current() {
      return usable(cached) ? cached.accessToken : (await acquire()).accessToken;
    },
    async renewAfterRejection(rejected) {
      if (cached?.accessToken === rejected) cached = undefined;
      let token = await acquire(rejected);
      // Joined a flight that began before this 401 and brought back the refused token: once more.
      if (token.accessToken === rejected) token = await acquire(rejected);
      return token.accessToken;
    },
  };
}
