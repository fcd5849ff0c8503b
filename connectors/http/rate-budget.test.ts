import { PartnerError } from '../../core/partner-error';
import { budgetPlan, memoryRateBudgetStore, settle, type RateBudgetStore } from './rate-budget';
import { RateLimiterRegistry } from './rate-limiter';
import { busiestWindow } from './sliding-window';

const policy = { maxConcurrentReads: 4, maxConcurrentWrites: 4, requestsPerWindow: 30, windowMs: 1000, defaultPauseMs: 500 };
const TOKEN = '0/secret-token';

/** Two registries stand for two worker processes: each has its own limiter for the token, one store between them. */
function twoProcesses(store: RateBudgetStore) {
  return [new RateLimiterRegistry(Date.now, store), new RateLimiterRegistry(Date.now, store)].map((r) => r.for('asana', TOKEN, policy));
}

describe('budgetPlan: the bucket keeps the policy limit in every window even when a lease is spent late', () => {
  it.each([
    [1450, 60_000],
    [80, 1000],
    [30, 1000],
    [25, 10_000],
    [2, 1000],
  ])('%i per %i ms', (requestsPerWindow, windowMs) => {
    const { bucket, leaseSize, leaseTtlMs } = budgetPlan({ requestsPerWindow, windowMs });
    expect(bucket.capacity + bucket.refillPerMs * (windowMs + leaseTtlMs)).toBeLessThanOrEqual(requestsPerWindow + 1e-9);
    expect(bucket.capacity).toBeGreaterThanOrEqual(1);
    expect(leaseSize).toBeGreaterThanOrEqual(1);
    expect(leaseSize).toBeLessThanOrEqual(bucket.capacity);
  });

  it.each([
    [97, 1000, 100],
    [48, 1000, 50],
    [9, 1000, 10],
  ])('against a partner bucket: %i per %i ms under a bucket of %i, with leases lasting half the window', (requestsPerWindow, windowMs, burst) => {
    const { bucket, leaseSize, leaseTtlMs } = budgetPlan({ requestsPerWindow, windowMs, burst });
    expect(bucket.capacity + bucket.refillPerMs * leaseTtlMs).toBeLessThanOrEqual(burst + 1e-9);
    expect(bucket.refillPerMs).toBeCloseTo(requestsPerWindow / windowMs, 9);
    expect(leaseTtlMs).toBe(Math.max(20, windowMs / 2));
    expect(leaseSize).toBeGreaterThanOrEqual(1);
    expect(leaseSize).toBeLessThanOrEqual(bucket.capacity);
  });

  it('a limit of one per window still refills', () => {
    expect(budgetPlan({ requestsPerWindow: 1, windowMs: 1000 }).bucket.refillPerMs).toBeGreaterThan(0);
  });

  it('settle grants what the bucket holds, never more, and says how long until the next token', () => {
    const b = { capacity: 5, refillPerMs: 0.01 };
    expect(settle(b, { tokens: 2, pausedForMs: 0 }, 0, 4)).toEqual({ tokens: 0, granted: 2, waitMs: 0, pausedForMs: 0 });
    expect(settle(b, { tokens: 0.5, pausedForMs: 0 }, 0, 4)).toMatchObject({ granted: 0, waitMs: 50 });
    expect(settle(b, { tokens: 0, pausedForMs: 0 }, 10_000, 9)).toMatchObject({ granted: 5, tokens: 0 });
    expect(settle(b, { tokens: 5, pausedForMs: 300 }, 0, 4)).toMatchObject({ granted: 0, waitMs: 300, pausedForMs: 300 });
  });
});

describe('CredentialRateLimiter over a shared budget', () => {
  it('two limiters of one credential over one store never exceed the budget in any window', async () => {
    const [a, b] = twoProcesses(memoryRateBudgetStore());
    const sentAt: number[] = [];
    const sendVia = (limiter: typeof a) => limiter!.run('read', async () => void sentAt.push(Date.now()));
    await Promise.all([...Array.from({ length: 45 }, () => sendVia(a)), ...Array.from({ length: 45 }, () => sendVia(b))]);
    expect(sentAt).toHaveLength(90);
    expect(busiestWindow(sentAt, policy.windowMs)).toBeLessThanOrEqual(policy.requestsPerWindow);
    expect(a!.isShared && b!.isShared).toBe(true);
  });

  it('against a partner token bucket (Jira burst), two limiters over one store send nothing the bucket would refuse', async () => {
    const bucketPolicy = { ...policy, requestsPerWindow: 29, burst: 30 };
    const store = memoryRateBudgetStore();
    const [p1, p2] = [new RateLimiterRegistry(Date.now, store), new RateLimiterRegistry(Date.now, store)].map((r) => r.for('jira', TOKEN, bucketPolicy));
    const sentAt: number[] = [];
    await Promise.all([p1, p2].flatMap((l) => Array.from({ length: 40 }, () => l!.run('read', async () => void sentAt.push(Date.now())))));
    // The partner's bucket: 30 requests, refilled at 30 per second, full at the first request.
    let tokens = 30;
    let at = Math.min(...sentAt);
    const refused = [...sentAt].sort((x, y) => x - y).filter((t) => {
      tokens = Math.min(30, tokens + ((t - at) * 30) / 1000);
      at = t;
      if (tokens < 1) return true;
      tokens -= 1;
      return false;
    });
    expect(sentAt).toHaveLength(80);
    expect(refused).toEqual([]);
  });

  it('without a shared store each process keeps its own budget (what the store fixes): together they exceed it', async () => {
    const [a, b] = [new RateLimiterRegistry(), new RateLimiterRegistry()].map((r) => r.for('asana', TOKEN, policy));
    const sentAt: number[] = [];
    await Promise.all([a, b].flatMap((l) => Array.from({ length: 30 }, () => l!.run('read', async () => void sentAt.push(Date.now())))));
    expect(busiestWindow(sentAt, policy.windowMs)).toBeGreaterThan(policy.requestsPerWindow);
  });

  it('a 429 in one process pauses the other process of the credential until Retry-After', async () => {
    const [a, b] = twoProcesses(memoryRateBudgetStore());
    const rateLimited = new PartnerError('asana GET x: HTTP 429', {
      partner: 'asana',
      operation: 'GET x',
      status: 429,
      decision: { retry: true, reason: 'rate limited (429)', waitMs: 400 },
    });
    const t0 = Date.now();
    await expect(a!.run('write', () => Promise.reject(rateLimited))).rejects.toBe(rateLimited);
    let startedAfter = -1;
    await b!.run('read', async () => void (startedAfter = Date.now() - t0));
    expect(startedAfter).toBeGreaterThanOrEqual(390);
    expect(b!.pausedUntilMs).toBeGreaterThanOrEqual(t0 + 390);
  });

  it('a store that fails fails the request with its error instead of sending unbudgeted', async () => {
    const broken: RateBudgetStore = { take: () => Promise.reject(new Error('database down')), pause: () => Promise.resolve() };
    const limiter = new RateLimiterRegistry(Date.now, broken).for('asana', TOKEN, policy);
    let sent = 0;
    await expect(limiter.run('read', async () => void (sent += 1))).rejects.toThrow('database down');
    expect(sent).toBe(0);
  });

  it('keys the shared budget by a hash of the credential, never the token itself', async () => {
    const keys: string[] = [];
    const store = memoryRateBudgetStore();
    const spy: RateBudgetStore = { take: (key, bucket, want) => (keys.push(key), store.take(key, bucket, want)), pause: store.pause };
    await new RateLimiterRegistry(Date.now, spy).for('asana', TOKEN, policy).run('read', () => Promise.resolve());
    expect(keys).toEqual([expect.stringMatching(/^asana:[0-9a-f]{32}$/)]);
    expect(keys.join()).not.toContain('secret');
  });
});
