import { randomUUID } from 'node:crypto';
import { type Pool } from 'pg';
import { TestPartner } from '../test/fixtures/test-partner';
import { testPartnerRegistry } from '../test/fixtures/test-partner-flow';
import { createTestDatabase, type TestDatabase } from '../test/support/database';
import { recordIntents } from '../db/record-links';
import { applyRecords, INTENT_PAGE_SIZE } from './apply-records';
import { type FlowContext, type FlowRuntime } from './flows/types';

const FLOW = 'test-records-to-entries';

/** The pool, counting the statements that record intents and write link batches (by their SQL). */
function countingPool(pool: Pool): { pool: Pool; intents: () => number; links: () => number } {
  let intents = 0;
  let links = 0;
  const counted = new Proxy(pool, {
    get(target, prop, receiver) {
      if (prop !== 'query') return Reflect.get(target, prop, receiver) as unknown;
      return (sql: unknown, ...rest: unknown[]) => {
        if (typeof sql === 'string' && sql.includes("'intent' FROM unnest")) intents += 1;
        if (typeof sql === 'string' && sql.startsWith('WITH input AS')) links += 1;
        return (target.query as (...a: unknown[]) => unknown)(sql, ...rest);
      };
    },
  });
  return { pool: counted, intents: () => intents, links: () => links };
}

describe('intents per page and links in batches (real PostgreSQL)', () => {
  let db: TestDatabase;
  let partner: TestPartner;
  let runtime: FlowRuntime;
  let partnerUrl: string;
  const start = new Date('2026-11-01T00:00:00Z');
  const window = (): [Date, Date] => [start, new Date(start.getTime() + 60_000)];
  beforeAll(async () => {
    db = await createTestDatabase('apply_batches');
  });
  beforeEach(async () => {
    partner = new TestPartner();
    partnerUrl = await partner.start();
    runtime = await testPartnerRegistry.flows['engine-test']![FLOW]!({ connection: { config: { partnerUrl } } } as unknown as FlowContext);
  });
  afterEach(async () => {
    await partner.stop();
  });
  afterAll(async () => {
    await db.drop();
  });
  const intentKeys = async (connectionId: string) =>
    (await db.pool.query<{ source_key: string }>(`SELECT source_key FROM record_links WHERE connection_id = $1 AND state = 'intent'`, [connectionId])).rows.map((r) => r.source_key);
  const perKey = () => {
    const n = new Map<string, number>();
    for (const e of partner.entries.values()) n.set(e.externalKey, (n.get(e.externalKey) ?? 0) + 1);
    return n;
  };

  it('commits a page of intents in one statement before its first create, and counts records done only once their link batch committed', async () => {
    const connectionId = randomUUID();
    partner.seed(150, start, 60_000);
    const records = await runtime.fetchWindow(...window());
    let atFirstCreate: string[] = [];
    partner.onCreate = async (n) => {
      if (n === 1) atFirstCreate = await intentKeys(connectionId);
    };
    const counting = countingPool(db.pool);
    const progress: number[] = [];
    const result = await applyRecords(counting.pool, runtime, records, { connectionId, flow: FLOW, linkBatch: { maxBatch: 16, maxDelayMs: 60_000 } }, (done) => progress.push(done));

    expect(result).toMatchObject({ created: 150, updated: 0, deadLettered: 0 });
    // The whole first page, and at most the page after it, before any create.
    expect(atFirstCreate.length).toBeGreaterThanOrEqual(INTENT_PAGE_SIZE);
    expect(atFirstCreate.length).toBeLessThanOrEqual(2 * INTENT_PAGE_SIZE);
    expect(records.slice(0, INTENT_PAGE_SIZE).every((r) => atFirstCreate.includes(r.key))).toBe(true);
    expect(counting.intents()).toBe(Math.ceil(150 / INTENT_PAGE_SIZE));
    // Batches of 16 by size, the rest when the page ends: progress moves only when a batch committed.
    expect(counting.links()).toBe(Math.ceil(150 / 16));
    expect(progress).toEqual([16, 32, 48, 64, 80, 96, 112, 128, 144, 150]);
    expect(await intentKeys(connectionId)).toEqual([]);
    const audit = await db.pool.query<{ action: string; n: string }>(`SELECT action, count(*) AS n FROM audit_events WHERE connection_id = $1 GROUP BY action`, [connectionId]);
    expect(audit.rows.map((r) => [r.action, Number(r.n)])).toEqual([['create', 150]]);
    expect([...perKey().values()].every((n) => n === 1) && perKey().size === 150).toBe(true);

    // Read again unchanged: no intent, no link statement, nothing written.
    const again = countingPool(db.pool);
    expect(await applyRecords(again.pool, runtime, records, { connectionId, flow: FLOW })).toMatchObject({ created: 0, unchanged: 150 });
    expect([again.intents(), again.links(), partner.creates]).toEqual([0, 0, 150]);
  });

  it('on a transient failure writes the links of the creates that completed, takes back the intents of creates never sent, and the retry creates none twice', async () => {
    const connectionId = randomUUID();
    partner.seed(100, start, 60_000);
    const records = await runtime.fetchWindow(...window());
    // The 31st write is answered 429 (transient): the page fails after the lanes in flight finished.
    partner.onCreate = (n) => {
      if (n === 30) partner.tooManyRequests = { count: 1, retryAfterSeconds: 1 };
    };
    const failed = await applyRecords(db.pool, runtime, records, { connectionId, flow: FLOW, linkBatch: { maxBatch: 16, maxDelayMs: 60_000 } }).catch((err: unknown) => err);
    expect(failed).toMatchObject({ type: 'PartnerTransientError' });

    const linked = await db.pool.query<{ source_key: string }>(`SELECT source_key FROM record_links WHERE connection_id = $1 AND state = 'linked'`, [connectionId]);
    // Every create that completed is linked (flushed before the failure was thrown) ...
    expect(linked.rowCount).toBe(partner.creates);
    // ... and only the refused create keeps an intent: the pages recorded ahead were taken back.
    expect(await intentKeys(connectionId)).toHaveLength(1);

    partner.onCreate = undefined;
    const retried = await applyRecords(db.pool, runtime, records, { connectionId, flow: FLOW });
    expect(retried.created + retried.unchanged).toBe(100);
    expect(perKey().size).toBe(100);
    expect([...perKey().values()].every((n) => n === 1)).toBe(true);
    expect(await intentKeys(connectionId)).toEqual([]);
  });

  it('after a crash left a page of intents without links, asks findExistingMany once for all of them, links what it finds and creates the rest once', async () => {
    const connectionId = randomUUID();
    partner.seed(40, start, 60_000);
    const records = await runtime.fetchWindow(...window());
    const keys = records.map((r) => r.key);
    // The crashed attempt: intents for all 40, and 15 of them created on the target before it died.
    await recordIntents(db.pool, { connectionId, sourceSystem: runtime.sourceSystem, targetSystem: runtime.targetSystem }, FLOW, keys);
    for (const key of keys.slice(0, 15)) {
      const created = await fetch(`${partnerUrl}/target/entries`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ externalKey: key, name: 'x', amount: '1.00' }) });
      expect(created.status).toBeLessThan(300);
    }
    const asked: string[][] = [];
    const batched: FlowRuntime = {
      ...runtime,
      findExisting: () => Promise.reject(new Error('findExisting called per record although findExistingMany exists')),
      findExistingMany: async (open) => {
        asked.push(open.map((r) => r.key));
        return new Map(open.flatMap((r) => (partner.entryFor(r.key) ? [[r.key, partner.entryFor(r.key)!.id] as const] : [])));
      },
    };
    const result = await applyRecords(db.pool, batched, records, { connectionId, flow: FLOW });

    expect(asked).toEqual([keys]);
    expect(result).toMatchObject({ created: 40, deadLettered: 0 });
    expect(perKey().size).toBe(40);
    expect([...perKey().values()].every((n) => n === 1)).toBe(true);
    const audit = await db.pool.query<{ action: string; n: string }>(`SELECT action, count(*) AS n FROM audit_events WHERE connection_id = $1 GROUP BY action ORDER BY action`, [connectionId]);
    expect(audit.rows.map((r) => [r.action, Number(r.n)])).toEqual([['create', 25], ['link', 15]]);
    expect(await intentKeys(connectionId)).toEqual([]);
  });
});
