import { type Pool } from 'pg';
import { PartnerError } from '../core/partner-error';
import { RateLimiterRegistry } from '../connectors/http/rate-limiter';
import { createTestDatabase, type TestDatabase } from '../test/support/database';
import { createPool } from './pool';
import { pgRateBudgetStore } from './rate-budgets';
import { busiestWindow } from '../connectors/http/sliding-window';

/**
 * Two pools on one database stand for two worker processes: separate connections, one rate_budgets row per
 * credential between them.
 */
const policy = { maxConcurrentReads: 4, maxConcurrentWrites: 4, requestsPerWindow: 40, windowMs: 1000, defaultPauseMs: 500 };
const TOKEN = '0/a-real-looking-secret';

describe('rate_budgets: one token bucket per credential in PostgreSQL, shared by two workers', () => {
  let db: TestDatabase;
  let pools: Pool[];

  beforeAll(async () => {
    db = await createTestDatabase('rate-budgets');
    pools = [createPool(db.url, 4), createPool(db.url, 4)];
  });
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end()));
    await db.drop();
  });

  it('concurrent leases from two pools never grant more than the bucket holds', async () => {
    const stores = pools.map(pgRateBudgetStore);
    const bucket = { capacity: 10, refillPerMs: 0 };
    const grants = await Promise.all(Array.from({ length: 40 }, (_, i) => stores[i % 2]!.take('asana:00000000000000000000000000000001', bucket, 1)));
    expect(grants.reduce((n, g) => n + g.granted, 0)).toBe(10);
    expect(grants.filter((g) => g.granted === 0).every((g) => g.waitMs > 0)).toBe(true);
  });

  it('a lease of an existing bucket refills by the database clock, grants what is there and says how long to wait', async () => {
    const store = pgRateBudgetStore(pools[0]!);
    const key = 'asana:00000000000000000000000000000002';
    const bucket = { capacity: 5, refillPerMs: 0.001 };
    expect((await store.take(key, bucket, 5)).granted).toBe(5);
    const empty = await store.take(key, bucket, 1);
    expect(empty.granted).toBe(0);
    // One token refills in 1 s; some of that has passed since the first lease.
    expect(empty.waitMs).toBeGreaterThan(0);
    expect(empty.waitMs).toBeLessThanOrEqual(1000);
    await new Promise((r) => setTimeout(r, empty.waitMs + 20));
    // One token by now, a second only if this machine stalled for most of a second.
    expect((await store.take(key, bucket, 3)).granted).toBe(1);
    await store.pause(key, 300);
    const paused = await store.take(key, bucket, 1);
    expect(paused.granted).toBe(0);
    expect(paused.pausedForMs).toBeGreaterThan(0);
    expect(paused.waitMs).toBeGreaterThanOrEqual(paused.pausedForMs - 1);
  });

  it('two limiters (one per pool) of one credential never exceed the budget in any window, and the row holds only a hash', async () => {
    const [a, b] = pools.map((p) => new RateLimiterRegistry(Date.now, pgRateBudgetStore(p)).for('asana', TOKEN, policy));
    const sentAt: number[] = [];
    const by = { a: 0, b: 0 };
    await Promise.all([
      ...Array.from({ length: 50 }, () => a!.run('read', async () => void (sentAt.push(Date.now()), (by.a += 1)))),
      ...Array.from({ length: 50 }, () => b!.run('write', async () => void (sentAt.push(Date.now()), (by.b += 1)))),
    ]);
    expect(sentAt).toHaveLength(100);
    expect(busiestWindow(sentAt, policy.windowMs)).toBeLessThanOrEqual(policy.requestsPerWindow);
    const rows = (await db.pool.query<{ credential_key: string }>('SELECT credential_key FROM rate_budgets WHERE credential_key LIKE $1', ['asana:%'])).rows;
    const keys = rows.map((r) => r.credential_key);
    expect(keys).toContainEqual(expect.stringMatching(/^asana:[0-9a-f]{32}$/));
    expect(keys.join()).not.toContain('secret');
  });

  it('a 429 in one worker stores the pause in the row and the other worker waits it out', async () => {
    const [a, b] = pools.map((p) => new RateLimiterRegistry(Date.now, pgRateBudgetStore(p)).for('jaggaer', TOKEN, policy));
    await a!.run('read', () => Promise.resolve());
    const rateLimited = new PartnerError('jaggaer GET x: HTTP 429', { partner: 'jaggaer', operation: 'GET x', status: 429, decision: { retry: true, reason: 'rate limited (429)', waitMs: 600 } });
    const t0 = Date.now();
    await expect(a!.run('read', () => Promise.reject(rateLimited))).rejects.toBe(rateLimited);
    // The pause is written without blocking the caller; wait until it is in the row.
    for (let i = 0; i < 50; i += 1) {
      const { rows } = await db.pool.query<{ paused: boolean }>("SELECT paused_until > now() AS paused FROM rate_budgets WHERE credential_key LIKE 'jaggaer:%'");
      if (rows[0]?.paused) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    let startedAfter = -1;
    await b!.run('read', async () => void (startedAfter = Date.now() - t0));
    expect(startedAfter).toBeGreaterThanOrEqual(550);
  });

  it('refuses a key that is not a partner and a hash (a secret can never be stored by mistake)', async () => {
    await expect(pgRateBudgetStore(pools[0]!).take('asana:0/a-real-looking-secret', { capacity: 1, refillPerMs: 1 }, 1)).rejects.toThrow('database operation failed: create rate budget');
  });
});
