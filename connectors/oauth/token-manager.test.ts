import { memoryTokenStore, type AccessToken } from '../../core/oauth-token-store';
import type { PartnerTelemetry } from '../http/telemetry';
import { createOAuthAccessTokens, type TokenPolicy } from './token-manager';

/**
 * Unit tests of the shared token logic with an in-memory store and a fake token request (no partner, no database):
 * the connectors' own tests cover it against the simulators and oauth_tokens.
 */
const MINUTE = 60_000;

function fakePolicy(overrides: Partial<TokenPolicy<AccessToken>> = {}) {
  let clock = 1_000_000;
  let issued = 0;
  const policy: TokenPolicy<AccessToken> = {
    partner: 'test',
    tokenUrl: 'http://127.0.0.1:9/token',
    refreshMarginMs: 5 * MINUTE,
    request: () => {
      issued += 1;
      return Promise.resolve({ accessToken: `t${issued}`, expiresAt: new Date(clock + 60 * MINUTE) });
    },
    ...overrides,
  };
  return { policy, now: () => clock, advance: (ms: number) => (clock += ms), issued: () => issued };
}

describe('createOAuthAccessTokens', () => {
  it('asks for one token for concurrent callers and reuses it until the margin before expiry', async () => {
    const f = fakePolicy();
    const tokens = createOAuthAccessTokens(f.policy, { now: f.now });
    expect(await Promise.all([tokens.current(), tokens.current(), tokens.current()])).toEqual(['t1', 't1', 't1']);
    f.advance(54 * MINUTE);
    expect(await tokens.current()).toBe('t1');
    f.advance(2 * MINUTE);
    expect(await tokens.current()).toBe('t2');
    expect(f.issued()).toBe(2);
  });

  it('renews once for every caller that got a 401 for the same token', async () => {
    const f = fakePolicy();
    const tokens = createOAuthAccessTokens(f.policy, { now: f.now });
    const first = await tokens.current();
    const renewed = await Promise.all([tokens.renewAfterRejection(first), tokens.renewAfterRejection(first)]);
    expect(renewed).toEqual(['t2', 't2']);
    expect(f.issued()).toBe(2);
  });

  it('shares tokens through the store between connectors (other workers)', async () => {
    const f = fakePolicy();
    const store = memoryTokenStore();
    const a = createOAuthAccessTokens(f.policy, { now: f.now, store });
    const b = createOAuthAccessTokens(f.policy, { now: f.now, store });
    expect(await Promise.all([a.current(), b.current()])).toEqual(['t1', 't1']);
    expect(f.issued()).toBe(1);
    expect((await store.load())?.accessToken).toBe('t1');
  });

  it('uses the seed while the store is empty, but not once it was refused', async () => {
    const f = fakePolicy();
    const tokens = createOAuthAccessTokens({ ...f.policy, seed: () => ({ accessToken: 'given', expiresAt: new Date(f.now() + 60 * MINUTE) }) }, { now: f.now });
    expect(await tokens.current()).toBe('given');
    expect(f.issued()).toBe(0);
    expect(await tokens.renewAfterRejection('given')).toBe('t1');
  });

  it('passes the stored token (decoded) to the request and stores what the codec encodes', async () => {
    const seen: (string | undefined)[] = [];
    const f = fakePolicy();
    const codec = {
      decode: (raw: AccessToken) => ({ ...raw, accessToken: raw.accessToken.replace(/^sealed:/, '') }),
      encode: (t: AccessToken) => ({ ...t, accessToken: `sealed:${t.accessToken}` }),
    };
    const store = memoryTokenStore();
    const tokens = createOAuthAccessTokens(
      {
        ...f.policy,
        codec,
        request: async (http, latest) => {
          seen.push(latest?.accessToken);
          return f.policy.request(http, latest);
        },
      },
      { now: f.now, store },
    );
    expect(await tokens.current()).toBe('t1');
    expect((await store.load())?.accessToken).toBe('sealed:t1');
    expect(await tokens.renewAfterRejection('t1')).toBe('t2');
    expect(seen).toEqual([undefined, 't1']);
  });

  it('takes the refresh margin from a function, read at each use', async () => {
    let marginMs = 5 * MINUTE;
    const f = fakePolicy();
    const tokens = createOAuthAccessTokens({ ...f.policy, refreshMarginMs: () => marginMs }, { now: f.now });
    expect(await tokens.current()).toBe('t1');
    marginMs = 61 * MINUTE;
    expect(await tokens.current()).toBe('t2');
  });

  it('reports a failed request to telemetry and to the caller, and tries again on the next call', async () => {
    const outcomes: string[] = [];
    const telemetry: PartnerTelemetry = { rateLimited: () => undefined, tokenRefreshed: (_partner, outcome) => void outcomes.push(outcome) };
    let fail = true;
    const f = fakePolicy();
    const tokens = createOAuthAccessTokens(
      { ...f.policy, request: (http, latest) => (fail ? Promise.reject(new Error('token endpoint down')) : f.policy.request(http, latest)) },
      { now: f.now, telemetry },
    );
    await expect(tokens.current()).rejects.toThrow('token endpoint down');
    fail = false;
    expect(await tokens.current()).toBe('t1');
    expect(outcomes).toEqual(['failed', 'ok']);
  });
});
