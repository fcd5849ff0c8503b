import { memoryTokenStore, type AccessToken, type OAuthTokenStore } from '../../core/oauth-token-store';
import { createPartnerHttp, type PartnerHttp } from '../http/partner-request';
import { noTelemetry, type PartnerTelemetry } from '../http/telemetry';

/** What every OAuth connector takes from its caller: the shared store and the knobs tests turn. */
export interface TokenDeps {
  /** Shared with every other caller for the same connection (db/oauth-tokens.ts: encrypted, locked across workers). */
  store?: OAuthTokenStore;
  telemetry?: PartnerTelemetry;
  timeoutMs?: number;
  /** Get a new token when the current one expires within this margin (each partner has its own default). */
  refreshMarginMs?: number;
  now?: () => number;
}

/** The same, for a partner whose token endpoint is not the API's base URL. */
export interface AccessTokenDeps extends TokenDeps {
  tokenUrl: string;
}

/**
 * How one partner's tokens differ from another's, as data: the token request, the refresh margin, a token the
 * connection was configured with, and how a token is kept in the store (Jira seals a rotating refresh token with it).
 */
export interface TokenPolicy<T extends AccessToken> {
  partner: string;
  /** Base URL of the token endpoint's HTTP client. */
  tokenUrl: string;
  /** Milliseconds before expiry a token stops being used; a function when it depends on the last token's lifetime. */
  refreshMarginMs: number | (() => number);
  /** Asks the partner for a new token; `latest` is what the store holds now (e.g. the newest refresh token). */
  request(http: PartnerHttp, latest: T | undefined): Promise<T>;
  /** A token given with the connection, used while the store holds nothing. */
  seed?(): T | undefined;
  /** How a token is kept in the store; the identity when omitted. */
  codec?: { decode(raw: AccessToken): T; encode(token: T): AccessToken };
}

/**
 * What a connector's HTTP layer asks of its credentials, whatever the auth method: a limiter key that survives
 * refreshes, the value to send now, and another after a 401 (undefined when nothing can be renewed, e.g. a PAT).
 */
export interface ConnectionCredentials<Renewed extends string | undefined = string | undefined> {
  /** Key for the rate limiter: the same across refreshes, so a new access token does not reset the budget. */
  readonly limiterKey: string;
  current(): Promise<string>;
  /** After the partner answered 401 to `rejected`: another value, renewed once for every caller that got the 401. */
  renewAfterRejection(rejected: string): Promise<Renewed>;
}

/** OAuth access tokens for one connection, kept fresh and refreshed once for every caller. */
export interface OAuthAccessTokens {
  /** A token to send now: cached, stored by another caller, or new when it expires within the margin. */
  current(): Promise<string>;
  /** After the partner answered 401 to `rejected`: another token, fetched once for every caller that got the 401. */
  renewAfterRejection(rejected: string): Promise<string>;
  /** The store the tokens live in (for adapters that must correct it after a failed renewal). */
  readonly store: OAuthTokenStore;
}

/**
 * Single flight: callers of this connector share one promise; across connectors and workers the store's lock does
 * the same, and the stored token is read again under it, so a token another worker just fetched is reused.
 */
export function createOAuthAccessTokens<T extends AccessToken = AccessToken>(policy: TokenPolicy<T>, deps: TokenDeps): OAuthAccessTokens {
  const now = deps.now ?? Date.now;
  const store = deps.store ?? memoryTokenStore();
  const telemetry = deps.telemetry ?? noTelemetry;
  const http = createPartnerHttp({ partner: policy.partner, baseUrl: policy.tokenUrl, timeoutMs: deps.timeoutMs, telemetry });
  const decode = (raw: AccessToken | undefined): T | undefined => (raw === undefined ? undefined : policy.codec ? policy.codec.decode(raw) : (raw as T));
  const encode = (token: T): AccessToken => (policy.codec ? policy.codec.encode(token) : token);
  const margin = typeof policy.refreshMarginMs === 'number' ? () => policy.refreshMarginMs as number : policy.refreshMarginMs;
  let cached: T | undefined;
  let inflight: Promise<T> | undefined;

  const usable = (t: T | undefined, rejected?: string): t is T => t !== undefined && t.accessToken !== rejected && t.expiresAt.getTime() - margin() > now();

  async function fetchToken(latest: T | undefined): Promise<AccessToken> {
    try {
      const token = await policy.request(http, latest);
      telemetry.tokenRefreshed(policy.partner, 'ok');
      return encode(token);
    } catch (err) {
      telemetry.tokenRefreshed(policy.partner, 'failed');
      throw err;
    }
  }

  function acquire(rejected?: string): Promise<T> {
    inflight ??= (async () => {
      const stored = decode(await store.load());
      if (usable(stored, rejected)) return stored;
      const locked = await store.exclusive(async (raw) => {
        const current = decode(raw);
        // The same object back: the store writes nothing.
        if (raw && usable(current, rejected)) return raw;
        const seed = raw ? undefined : policy.seed?.();
        if (seed && seed.accessToken !== rejected) return encode(seed);
        return fetchToken(current);
      });
      return decode(locked)!;
    })()
      .then((token) => (cached = token))
      .finally(() => (inflight = undefined));
    return inflight;
  }

  return {
    store,
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
