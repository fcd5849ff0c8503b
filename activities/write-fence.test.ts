import { randomUUID } from 'node:crypto';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { acquireLease, LeaseLostError, withFence, type AcquiredLease, type LeaseHolder } from '../db/connection-leases';
import { appendAuditEvents } from '../db/audit-events';
import { linksWithAudit, linkWithAudit } from '../db/record-effects';
import { getMirrorStates, setMirrorStates } from '../db/mirror-states';
import { recordIntent, recordIntents } from '../db/record-links';
import { deleteWaiting, listWaiting, upsertWaiting } from '../db/waiting-records';
import { holdForReference } from './flow-dependencies';
import { MissingReferenceError } from './flows/types';
import { createLogger } from '../core/logger';
import { type Db } from '../db/pool';
import { TemporalReachability } from './temporal-reachability';
import { TestPartner } from '../test/fixtures/test-partner';
import { testPartnerRegistry } from '../test/fixtures/test-partner-flow';
import { createTestDatabase, type TestDatabase } from '../test/support/database';
import { applyRecords } from './apply-records';
import { type FlowContext } from './flows/types';
import { inFlightWaitMs, LEASE_TICK_MS, releaseWhenReachable, withWriteFence, WriteFence } from './write-fence';

const HEARTBEAT_TIMEOUT_MS = 20_000;
const holder = (attempt: number, activityId = '7'): LeaseHolder => ({ workflowId: 'connection/x', runId: 'run-1', activityId, attempt });

describe('connection write leases on PostgreSQL', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('write_fence');
  });
  afterAll(async () => {
    await db.drop();
  });

  it('refuses intent, link, audit and dead-letter writes that carry a fence a newer attempt has raised', async () => {
    const connectionId = randomUUID();
    const old = (await acquireLease(db.pool, connectionId, holder(1)))!;
    const newer = (await acquireLease(db.pool, connectionId, holder(2)))!;
    expect(newer.lease.fence).toBe(old.lease.fence + 1);
    expect(newer.previous).toMatchObject({ holder: holder(1), released: false });

    const key = { connectionId, sourceSystem: 's', targetSystem: 't', sourceKey: 'R1' };
    const audit = { connectionId, flow: 'f', recordKey: 'R1', direction: 's->t', action: 'create' as const, outcome: 'ok' as const };
    await expect(recordIntent(db.pool, key, 'f', old.lease)).rejects.toBeInstanceOf(LeaseLostError);
    await expect(linkWithAudit(db.pool, key, 'f', 'T1', 'h', audit, old.lease)).rejects.toBeInstanceOf(LeaseLostError);
    await expect(withFence(db.pool, old.lease, (q) => appendAuditEvents(q, [audit]))).rejects.toBeInstanceOf(LeaseLostError);
    // The batched forms: a stale attempt's page of intents and batch of links are refused as a whole.
    const base = { connectionId, sourceSystem: 's', targetSystem: 't' };
    await expect(recordIntents(db.pool, base, 'f', ['R1', 'R2'], old.lease)).rejects.toBeInstanceOf(LeaseLostError);
    const effect = (sourceKey: string) => ({ sourceKey, targetId: `T-${sourceKey}`, hash: 'h', action: 'create' as const, at: new Date() });
    await expect(linksWithAudit(db.pool, { ...base, flow: 'f', direction: 's->t' }, [effect('R1'), effect('R2')], old.lease)).rejects.toBeInstanceOf(LeaseLostError);
    const rows = async (table: string) => (await db.pool.query(`SELECT 1 FROM ${table} WHERE connection_id = $1`, [connectionId])).rowCount;
    expect([await rows('record_links'), await rows('audit_events')]).toEqual([0, 0]);

    // The current holder writes.
    await recordIntent(db.pool, key, 'f', newer.lease);
    await linkWithAudit(db.pool, key, 'f', 'T1', 'h', audit, newer.lease);
    expect([await rows('record_links'), await rows('audit_events')]).toEqual([1, 1]);
  });

  it('refuses mirror-state and waiting-record writes that carry a fence a newer attempt has raised', async () => {
    const connectionId = randomUUID();
    const old = (await acquireLease(db.pool, connectionId, holder(1)))!;
    const states = (hash: string) => [
      { system: 'peoplesoft', recordKey: 'V1', hash },
      { system: 'jaggaer', recordKey: 'S1', hash },
    ];
    const waiting = { connectionId, flow: 'f', recordKey: 'PO1', missingKey: 'V9', reason: 'vendor V9 not on the target yet', sourceRecord: { key: 'PO1' } };
    // Written while the first attempt holds the connection.
    await setMirrorStates(db.pool, connectionId, states('h1'), old.lease);
    await upsertWaiting(db.pool, waiting, old.lease);
    const newer = (await acquireLease(db.pool, connectionId, holder(2)))!;

    const refused: string[] = [];
    const stale = { ...old.lease, onRefused: (reason: string) => refused.push(reason) };
    await expect(setMirrorStates(db.pool, connectionId, states('h-stale'), stale)).rejects.toBeInstanceOf(LeaseLostError);
    await expect(upsertWaiting(db.pool, { ...waiting, recordKey: 'PO2' }, stale)).rejects.toBeInstanceOf(LeaseLostError);
    await expect(upsertWaiting(db.pool, { ...waiting, reason: 'stale reason' }, stale)).rejects.toBeInstanceOf(LeaseLostError);
    // The stale attempt's delete is a no-op: the wait the newer attempt keeps stays.
    await deleteWaiting(db.pool, connectionId, 'f', ['PO1'], stale);
    // Through the activity's own path: the wait, its audit row and its dead letter (a zero wait) are all refused.
    const audit = { connectionId, flow: 'f', direction: 's->t' };
    const missing = new MissingReferenceError('V9', 'vendor V9 not on the target yet');
    const po = (key: string) => ({ key, updatedAt: '2026-12-01T00:00:00.000Z', data: { vendor: 'V9' } });
    await expect(holdForReference(db.pool, { connectionId, flow: 'f', audit, lease: stale }, po('PO3'), missing)).rejects.toBeInstanceOf(LeaseLostError);
    await expect(holdForReference(db.pool, { connectionId, flow: 'f', audit, lease: stale, waitForReferenceMs: 0 }, po('PO1'), missing)).rejects.toBeInstanceOf(LeaseLostError);
    expect(refused.length).toBeGreaterThanOrEqual(5);

    const stored = await getMirrorStates(db.pool, connectionId, 'peoplesoft', ['V1']);
    expect(stored.get('V1')).toBe('h1');
    expect((await listWaiting(db.pool, connectionId, 'f')).map((w) => [w.record_key, w.reason, w.attempts])).toEqual([['PO1', waiting.reason, 1]]);
    const rows = async (table: string) => (await db.pool.query(`SELECT 1 FROM ${table} WHERE connection_id = $1`, [connectionId])).rowCount;
    expect([await rows('audit_events'), await rows('dead_letters')]).toEqual([0, 0]);

    // The current holder writes all of them.
    await setMirrorStates(db.pool, connectionId, states('h2'), newer.lease);
    expect((await getMirrorStates(db.pool, connectionId, 'jaggaer', ['S1'])).get('S1')).toBe('h2');
    await expect(holdForReference(db.pool, { connectionId, flow: 'f', audit, lease: newer.lease }, po('PO3'), missing)).resolves.toEqual({ outcome: 'waiting', added: true });
    await deleteWaiting(db.pool, connectionId, 'f', ['PO1'], newer.lease);
    expect((await listWaiting(db.pool, connectionId, 'f')).map((w) => w.record_key)).toEqual(['PO3']);
    expect(await rows('audit_events')).toBe(1);
  });

  it('never lets an older attempt of the same activity take the lease back from a newer one', async () => {
    const connectionId = randomUUID();
    await acquireLease(db.pool, connectionId, holder(3));
    expect(await acquireLease(db.pool, connectionId, holder(2))).toBeUndefined();
    // Another activity (scheduled later by the workflow) takes it whatever its attempt number.
    expect(await acquireLease(db.pool, connectionId, holder(1, '8'))).toBeDefined();
  });

  it('hands each new holder the one it replaced, also when it had to wait for a write committing under the old fence', async () => {
    const connectionId = randomUUID();
    const first = (await acquireLease(db.pool, connectionId, holder(1)))!;
    expect(first.previous).toBeUndefined();
    const second = (await acquireLease(db.pool, connectionId, holder(2)))!;
    expect(second.lease.fence).toBe(first.lease.fence + 1);
    expect(second.previous).toMatchObject({ holder: holder(1), released: false });
    // A write of the second holder is committing (it holds the row FOR SHARE) while two newer attempts ask at once:
    // each waits for it, and each gets a fence of its own and the holder it really replaced.
    const writer = await db.pool.connect();
    try {
      await writer.query('BEGIN');
      await writer.query(`SELECT 1 FROM connection_leases WHERE connection_id = $1 AND fence = $2 FOR SHARE`, [connectionId, second.lease.fence]);
      const asked = [acquireLease(db.pool, connectionId, holder(1, '8')), acquireLease(db.pool, connectionId, holder(1, '9'))];
      await new Promise((r) => setTimeout(r, 200));
      await writer.query('COMMIT');
      const [a, b] = (await Promise.all(asked)) as [AcquiredLease, AcquiredLease];
      const [earlier, later] = a.lease.fence < b.lease.fence ? [a, b] : [b, a];
      expect([earlier.lease.fence, later.lease.fence]).toEqual([second.lease.fence + 1, second.lease.fence + 2]);
      expect(earlier.previous?.holder).toEqual(holder(2));
      expect(later.previous?.holder.activityId).toBe(earlier === a ? '8' : '9');
    } finally {
      writer.release();
    }
  });

  it('releases a lease once PostgreSQL answers again, so the next attempt does not wait out calls that ended', async () => {
    const connectionId = randomUUID();
    const first = (await acquireLease(db.pool, connectionId, holder(1)))!;
    let refusals = 0;
    const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    // The database is down for the first two tries of the release (the attempt ended during an outage).
    const flaky = { query: (sql: string, params: unknown[]) => (sql.includes('released_at') && refusals++ < 2 ? Promise.reject(refused()) : db.pool.query(sql, params)) } as unknown as Db;
    expect(await releaseWhenReachable(flaky, first.lease)).toBe(true);
    expect(refusals).toBe(3);
    const next = (await acquireLease(db.pool, connectionId, holder(2)))!;
    expect(next.previous?.released).toBe(true);
    expect(inFlightWaitMs(next.previous, next.dbNow, HEARTBEAT_TIMEOUT_MS)).toBe(0);
    // Any other failure is not waited on, nor is an outage past the retry time.
    const broken = { query: () => Promise.reject(Object.assign(new Error('syntax error'), { code: '42601' })) } as unknown as Db;
    expect(await releaseWhenReachable(broken, next.lease)).toBe(false);
    const down = { query: () => Promise.reject(refused()) } as unknown as Db;
    expect(await releaseWhenReachable(down, next.lease, undefined, 0)).toBe(false);
  });

  it('waits out the previous holder only while it may still have partner calls in flight', () => {
    const now = new Date('2026-12-02T12:00:00Z');
    const previous = (renewedAgoMs: number, released = false) => ({ holder: holder(1), renewedAt: new Date(now.getTime() - renewedAgoMs), released });
    expect(inFlightWaitMs(undefined, now, HEARTBEAT_TIMEOUT_MS)).toBe(0);
    expect(inFlightWaitMs(previous(500, true), now, HEARTBEAT_TIMEOUT_MS)).toBe(0);
    // Renewed just now: it learns of the new fence within a tick, and its last call may take the whole call timeout.
    expect(inFlightWaitMs(previous(500), now, HEARTBEAT_TIMEOUT_MS, 30_000)).toBe(LEASE_TICK_MS + 30_000 + 2_000);
    // Quiet for longer than a heartbeat timeout plus the call timeout: it stopped sending long ago.
    expect(inFlightWaitMs(previous(HEARTBEAT_TIMEOUT_MS + 2 * LEASE_TICK_MS + 32_000), now, HEARTBEAT_TIMEOUT_MS, 30_000)).toBe(0);
  });

  it('stops an attempt on its own once it could not reach Temporal for its heartbeat timeout', async () => {
    let clock = 0;
    const reachability = new TemporalReachability(() => clock);
    const connectionId = randomUUID();
    const { lease } = (await acquireLease(db.pool, connectionId, holder(1)))!;
    const fence = new WriteFence({ pool: db.pool, reachability }, lease, 0, HEARTBEAT_TIMEOUT_MS);
    clock = HEARTBEAT_TIMEOUT_MS - 1;
    expect(() => fence.check()).not.toThrow();
    clock = HEARTBEAT_TIMEOUT_MS + 1;
    expect(() => fence.check()).toThrow(LeaseLostError);
    // Latched: Temporal answering again does not give the connection back (the server has moved on).
    reachability.markReachable();
    expect(() => fence.check()).toThrow(/Temporal unreachable/);
  });

  it('stops an attempt whose lease was taken, sends creates only for records with a committed intent, and the next holder creates none twice', async () => {
    const partner = new TestPartner();
    const partnerUrl = await partner.start();
    try {
      const connectionId = randomUUID();
      const start = new Date('2026-11-01T00:00:00Z');
      partner.seed(40, start, 60_000);
      const runtime = await testPartnerRegistry.flows['engine-test']!['test-records-to-entries']!({ connection: { config: { partnerUrl } } } as unknown as FlowContext);
      const records = await runtime.fetchWindow(start, new Date(start.getTime() + 60_000));
      // A newer attempt takes the connection while the first create is at the partner; the partner answers every
      // create only after that, so no lane has finished a record before the takeover.
      let takenOver!: () => void;
      const takeover = new Promise<void>((resolve) => (takenOver = resolve));
      let intentsAtTakeover = new Set<string>();
      partner.onCreate = async (n) => {
        if (n === 1) {
          await acquireLease(db.pool, connectionId, { workflowId: 'connection/x', runId: 'run-1', activityId: '9', attempt: 2 });
          const rows = await db.pool.query<{ source_key: string }>(`SELECT source_key FROM record_links WHERE connection_id = $1 AND state = 'intent'`, [connectionId]);
          intentsAtTakeover = new Set(rows.rows.map((r) => r.source_key));
          takenOver();
        }
        await takeover;
      };
      const env = new MockActivityEnvironment({ activityId: '9', attempt: 1, heartbeatTimeoutMs: HEARTBEAT_TIMEOUT_MS }, { logger: new DefaultLogger('ERROR') });
      const deps = { pool: db.pool, logger: createLogger('silent'), reachability: new TemporalReachability() };
      const failure = await env
        .run(() =>
          withWriteFence(deps, Context.current(), connectionId, (fence) =>
            applyRecords(db.pool, runtime, records, { connectionId, flow: 'test-records-to-entries', fence, cancelled: Context.current().cancellationSignal }),
          ),
        )
        .catch((err: unknown) => err);

      expect(failure).toBeInstanceOf(ApplicationFailure);
      expect(failure).toMatchObject({ type: 'LeaseLost', nonRetryable: true });
      // Links are written in batches, so lanes learn of the takeover at their batch (or the lease tick), not at once:
      // every create the old attempt sent, before or after the takeover, is of a record whose intent it had committed
      // before the fence moved, which is what lets the next holder find it instead of creating it again.
      const writes = partner.requests.filter((r) => r.path.startsWith('/target'));
      expect(partner.creates).toBeGreaterThanOrEqual(1);
      expect(writes.every((r) => r.method === 'POST')).toBe(true);
      expect(writes).toHaveLength(partner.creates);
      const createdKeys = [...partner.entries.values()].map((e) => e.externalKey);
      expect(createdKeys.filter((k) => !intentsAtTakeover.has(k))).toEqual([]);
      // Nothing the old attempt did after the takeover reached PostgreSQL: its link batch was refused as a whole.
      const linked = await db.pool.query(`SELECT 1 FROM record_links WHERE connection_id = $1 AND state = 'linked'`, [connectionId]);
      expect(linked.rowCount).toBe(0);

      // The next holder (no fence here: the old one is stopped) finds what the old one created by external key.
      partner.onCreate = undefined;
      const next = await applyRecords(db.pool, runtime, records, { connectionId, flow: 'test-records-to-entries' });
      expect(next.created).toBe(40);
      const perKey = new Map<string, number>();
      for (const e of partner.entries.values()) perKey.set(e.externalKey, (perKey.get(e.externalKey) ?? 0) + 1);
      expect(perKey.size).toBe(40);
      expect([...perKey.values()].every((n) => n === 1)).toBe(true);
      const audit = await db.pool.query<{ action: string; n: string }>(`SELECT action, count(*) AS n FROM audit_events WHERE connection_id = $1 GROUP BY action ORDER BY action`, [connectionId]);
      expect(audit.rows.map((r) => [r.action, Number(r.n)])).toEqual(
        [
          ['create', 40 - createdKeys.length],
          ['link', createdKeys.length],
        ].filter(([, n]) => n !== 0),
      );
    } finally {
      await partner.stop();
    }
  });
});
