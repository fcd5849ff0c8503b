import { PartnerError } from '../../core/partner-error';
import { CredentialRateLimiter, RateLimiterRegistry, credentialKey } from './rate-limiter';

const policy = { maxConcurrentReads: 3, maxConcurrentWrites: 2, requestsPerWindow: 1000, windowMs: 60_000, defaultPauseMs: 1000 };
const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('CredentialRateLimiter', () => {
  it('never runs more than the cap per kind, counting reads and writes independently', async () => {
    const limiter = new CredentialRateLimiter(policy);
    let reads = 0;
    let writes = 0;
    let maxReads = 0;
    let maxWrites = 0;
    const read = () =>
      limiter.run('read', async () => {
        maxReads = Math.max(maxReads, ++reads);
        await delay(10);
        reads -= 1;
      });
    const write = () =>
      limiter.run('write', async () => {
        maxWrites = Math.max(maxWrites, ++writes);
        await delay(10);
        writes -= 1;
      });
    await Promise.all([...Array.from({ length: 12 }, read), ...Array.from({ length: 9 }, write)]);
    expect(maxReads).toBe(3);
    expect(maxWrites).toBe(2);
    expect(limiter.peak).toEqual({ read: 3, write: 2 });
  });

  it('holds requests past the per-window budget until the window slides', async () => {
    const limiter = new CredentialRateLimiter({ ...policy, requestsPerWindow: 3, windowMs: 200 });
    const started: number[] = [];
    const t0 = Date.now();
    await Promise.all(Array.from({ length: 6 }, () => limiter.run('read', async () => void started.push(Date.now() - t0))));
    expect(started.slice(0, 3).every((t) => t < 100)).toBe(true);
    expect(started.slice(3).every((t) => t >= 195)).toBe(true);
  });

  it('pauses every caller of the credential until Retry-After after one 429', async () => {
    const limiter = new CredentialRateLimiter(policy);
    const rateLimited = new PartnerError('asana GET x: HTTP 429', {
      partner: 'asana',
      operation: 'GET x',
      status: 429,
      decision: { retry: true, reason: 'rate limited (429)', waitMs: 300 },
    });
    const t0 = Date.now();
    await expect(limiter.run('write', () => Promise.reject(rateLimited))).rejects.toBe(rateLimited);
    const startedAt: number[] = [];
    await Promise.all([
      limiter.run('read', async () => void startedAt.push(Date.now() - t0)),
      limiter.run('write', async () => void startedAt.push(Date.now() - t0)),
    ]);
    expect(startedAt).toHaveLength(2);
    for (const t of startedAt) expect(t).toBeGreaterThanOrEqual(295);
  });

  it('does not pause on other errors', async () => {
    const limiter = new CredentialRateLimiter(policy);
    await expect(limiter.run('read', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(limiter.pausedUntilMs).toBe(0);
  });
});

describe('RateLimiterRegistry', () => {
  it('shares one limiter per credential and keys it by a hash, never the token', () => {
    const registry = new RateLimiterRegistry();
    const a = registry.for('asana', '0/secret-token-a', policy);
    expect(registry.for('asana', '0/secret-token-a', policy)).toBe(a);
    expect(registry.for('asana', '0/secret-token-b', policy)).not.toBe(a);
    expect(registry.keys().join(',')).not.toContain('secret-token');
    expect(credentialKey('asana', '0/secret-token-a')).toMatch(/^asana:[0-9a-f]{32}$/);
  });
});
