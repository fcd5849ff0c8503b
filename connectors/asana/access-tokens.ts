import { memoryTokenStore, type AccessToken, type OAuthTokenStore } from '../../core/oauth-token-store';
import { createPartnerHttp } from '../http/partner-request';
import { noTelemetry, type PartnerTelemetry } from '../http/telemetry';
import type { AsanaAuth, AsanaOAuth } from './auth';
import { ASANA } from './provider';
import { refreshAccessToken } from './refresh-access-token';

/** Asana's access tokens last an hour (https://developers.asana.com/docs/oauth): assumed for one we did not refresh. */
const ACCESS_TOKEN_LIFETIME_MS = 3_600_000;
/** Refreshed this long before expiry, so a call that starts just before the hour does not meet a 401. */
const DEFAULT_REFRESH_MARGIN_MS = 5 * 60_000;

export interface AccessTokenDeps {
  /** The OAuth token endpoint (AsanaConfig.tokenUrl or derived from baseUrl). */
  tokenUrl: string;
  /** Shared with every other caller for the same connection; defaults to one that lives as long as this connector. */
  store?: OAuthTokenStore;
  telemetry?: PartnerTelemetry;
  timeoutMs?: number;
  refreshMarginMs?: number;
  now?: () => number;
}

/** Bearer tokens for one connection: a PAT as is, OAuth access tokens kept fresh. */
export interface AsanaAccessTokens {
  /** Key for the rate limiter: the same across refreshes, so a new access token does not reset the budget. */
  readonly limiterKey: string;
  /** A token to send now: cached, stored by another caller, or refreshed when it expires within the margin. */
  current(): Promise<string>;
  /** After Asana answered 401 to `rejected`: another token (refreshed once for all callers), or undefined for a PAT. */
  renewAfterRejection(rejected: string): Promise<string | undefined>;
}

export function createAsanaAccessTokens(auth: AsanaAuth, deps: AccessTokenDeps): AsanaAccessTokens {
  if (auth.method === 'pat') {
    return { limiterKey: auth.token, current: () => Promise.resolve(auth.token), renewAfterRejection: () => Promise.resolve(undefined) };
  }
  return oauthAccessTokens(auth, deps);
}

function oauthAccessTokens(auth: AsanaOAuth, deps: AccessTokenDeps): AsanaAccessTokens {
  const now = deps.now ?? Date.now;
  const margin = deps.refreshMarginMs ?? DEFAULT_REFRESH_MARGIN_MS;
  const store = deps.store ?? memoryTokenStore();
  const telemetry = deps.telemetry ?? noTelemetry;
  const http = createPartnerHttp({ partner: ASANA, baseUrl: deps.tokenUrl, timeoutMs: deps.timeoutMs, telemetry });
  let cached: AccessToken | undefined;
  let inflight: Promise<AccessToken> | undefined;

  const usable = (t: AccessToken | undefined, rejected?: string): t is AccessToken =>
    t !== undefined && t.accessToken !== rejected && t.expiresAt.getTime() - margin > now();

  async function refresh(): Promise<AccessToken> {
    try {
      const token = await refreshAccessToken(http, auth, now);
      telemetry.tokenRefreshed(ASANA, 'ok');
      return token;
    } catch (err) {
      telemetry.tokenRefreshed(ASANA, 'failed');
      throw err;
    }
  }

  /**
   * Single flight: every caller of this connector that needs a token meanwhile waits for the same promise. Across
   * connectors and workers the store's lock does the same, and the stored token is read again under it.
   */
  function acquire(rejected?: string): Promise<AccessToken> {
    inflight ??= (async () => {
      const stored = await store.load();
      if (usable(stored, rejected)) return stored;
      return store.exclusive(async (locked) => {
        if (usable(locked, rejected)) return locked;
        if (!locked && auth.accessToken && auth.accessToken !== rejected) {
          return { accessToken: auth.accessToken, expiresAt: new Date(now() + ACCESS_TOKEN_LIFETIME_MS) };
        }
        return refresh();
      });
    })()
      .then((token) => (cached = token))
      .finally(() => (inflight = undefined));
    return inflight;
  }

  return {
    limiterKey: `oauth2:${auth.clientId}:${auth.refreshToken}`,
    async current() {
      return usable(cached) ? cached.accessToken : (await acquire()).accessToken;
    },
    async renewAfterRejection(rejected) {
      if (cached?.accessToken === rejected) cached = undefined;
      try {
        let token = await acquire(rejected);
        // We joined a flight that started before this 401 and brought back the token Asana just refused: once more.
        if (token.accessToken === rejected) token = await acquire(rejected);
        return token.accessToken;
      } catch (err) {
        // The refresh failed, so the refused token is still stored: mark it expired, or every other caller (and
        // authorize()) would take it for good and meet the same 401 one write at a time.
        await store
          .exclusive((locked) => Promise.resolve(locked && locked.accessToken !== rejected ? locked : { accessToken: rejected, expiresAt: new Date(0) }))
          .catch(() => undefined);
        throw err;
      }
    },
  };
}
