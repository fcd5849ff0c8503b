import { expireLiveTokens } from './expire-tokens';

describe('expireLiveTokens', () => {
  it('ends live tokens (and those without an expiry) at now, leaves expired ones as they were, counts the live', () => {
    const tokens = [{ expiresAtMs: 5_000 }, { expiresAtMs: 500 }, {}, { expiresAtMs: 1_000 }];
    expect(expireLiveTokens(tokens, 1_000)).toBe(2);
    expect(tokens).toEqual([{ expiresAtMs: 1_000 }, { expiresAtMs: 500 }, { expiresAtMs: 1_000 }, { expiresAtMs: 1_000 }]);
    expect(expireLiveTokens(tokens, 1_000)).toBe(0);
  });
});
