import { replayDeadLettersUpdate } from '../../core/sync-messages';
import { CONNECTION_ID } from '../../core/sync-start';
import { eventually } from '../support/worker-process';
import { engineSuite, recordHistory } from './engine-harness';

const DAY = 86_400_000;

describe('sync engine on the real Temporal dev server and PostgreSQL', () => {
  const suite = engineSuite('engine');
  const scenario = suite.scenario;

  it('syncs 5,000 records exactly once, then writes only what changed', async () => {
    const s = scenario();
    const start = new Date(Date.now() - 10 * DAY);
    s.partner.seed(5_000, start, 9 * DAY);
    const began = Date.now();
    const handle = await s.start({ flow: { overlapMs: 60_000, maxWindowMs: 2 * DAY, initialFrom: start.toISOString() } });

    await eventually(async () => (await s.status()).totals.polls >= 1 && (await s.status()).state === 'idle' && s.partner.entries.size === 5_000, 240_000, '5,000 entries');
    const seconds = (Date.now() - began) / 1000;
    const history = await handle.fetchHistory();
    process.stdout.write(`[measure] 5,000 records in ${seconds.toFixed(1)} s = ${(5_000 / seconds).toFixed(0)} records/s; ${history.events?.length} history events\n`);

    expect(s.partner.entries.size).toBe(5_000);
    expect(s.partner.duplicates()).toEqual([]);
    expect(s.partner.creates).toBe(5_000);
    // The second window (catch-up) was read while the first one's ~1,100 records were still being written.
    const secondRead = s.partner.requests.filter((r) => r.method === 'GET' && r.path === '/source/records')[1]!;
    expect(s.partner.requests.filter((r) => r.method === 'POST' && r.path === '/target/entries' && r.at < secondRead.at).length).toBeLessThan(1_000);
    expect((await s.linkedKeys()).size).toBe(5_000);
    const audit = await suite.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_events WHERE connection_id = $1 AND action = 'create'`, [s.connectionId]);
    expect(audit.rows[0]!.n).toBe(5_000);
    // Records stay out of history: a window's summary is small, so the whole sync is a few dozen events.
    expect(history.events!.length).toBeLessThan(100);

    // Support staff find the run in the UI by customer and connection (visibility is eventually consistent).
    const found = await eventually(async () => {
      const runs = [];
      for await (const w of suite.client.workflow.list({ query: `CustomerId = 'acme' AND SyncPair = 'engine-test' AND ConnectionId = '${s.connectionId}'` })) runs.push(w);
      return runs.length > 0 && runs;
    }, 30_000, 'the run in visibility by its search attributes');
    expect(found.map((w) => w.workflowId)).toEqual([handle.workflowId]);
    expect(found[0]!.typedSearchAttributes.get(CONNECTION_ID)).toBe(s.connectionId);

    // Edit 3 records at the source; the next poll updates those 3 entries and nothing else.
    for (const key of ['REC-000010', 'REC-002000', 'REC-004999']) s.partner.edit(key, { amount: 1 });
    const pollsBefore = (await s.status()).totals.polls;
    await handle.signal('pollNow');
    await eventually(async () => (await s.status()).totals.polls > pollsBefore && (await s.status()).state === 'idle', 60_000, 'second poll');
    expect(s.partner.creates).toBe(5_000);
    const rewritten = [...s.partner.entries.values()].filter((e) => e.writes > 1).map((e) => e.externalKey).sort();
    expect(rewritten).toEqual(['REC-000010', 'REC-002000', 'REC-004999']);
    await recordHistory('engine-5000-records', handle, suite.client);
    // 5,000 creates take well under a minute alone; the room is for a machine shared with other suites.
  }, 300_000);

  it('loses and duplicates nothing when the worker is SIGKILLed mid-sync, and the watermark is never ahead of durable writes', async () => {
    const s = scenario();
    const start = new Date(Date.now() - 10 * DAY);
    s.partner.seed(3_000, start, 9 * DAY);
    const killAt = new Set([400, 1_500, 2_600]);
    const violations: string[] = [];
    const killedKeys: string[] = [];
    s.partner.onCreate = async (n) => {
      if (!killAt.has(n)) return;
      killedKeys.push(s.partner.entries.get(`E${n}`)!.externalKey);
      // The target has stored the entry; the worker dies before it hears back or links it.
      await s.worker!.kill();
      const linked = await s.linkedKeys();
      await s.startWorker();
      // No activity can complete before the dead one's heartbeat times out, so this is the state at the kill.
      const { progress } = await s.status();
      const watermark = Date.parse(progress['test-records-to-entries']!.watermark);
      const behind = [...s.partner.source.values()].filter((r) => Date.parse(r.updatedAt) <= watermark && !linked.has(r.key));
      if (behind.length > 0) violations.push(`kill ${n}: ${behind.length} records at or before the watermark were not written`);
    };
    await s.start({ flow: { overlapMs: 60_000, maxWindowMs: 1 * DAY, initialFrom: start.toISOString() } });

    await eventually(async () => s.partner.entries.size === 3_000 && (await s.status()).state === 'idle' && (await s.linkedKeys()).size === 3_000, 300_000, 'all 3,000 after kills');
    expect(killedKeys).toHaveLength(3);
    expect(violations).toEqual([]);
    expect(s.partner.duplicates()).toEqual([]);
    expect(s.partner.entries.size).toBe(3_000);
    // Each create cut off by a kill was recovered by its external key (a link), not created again. Other lanes'
    // creates in flight at the same moment are recovered the same way, so there are at least three.
    const recovered = await suite.db.pool.query<{ record_key: string }>(`SELECT record_key FROM audit_events WHERE connection_id = $1 AND action = 'link'`, [s.connectionId]);
    const recoveredKeys = recovered.rows.map((r) => r.record_key);
    expect(recoveredKeys).toEqual(expect.arrayContaining(killedKeys));
    process.stdout.write(`[measure] SIGKILL x3: ${recoveredKeys.length} half-done creates recovered by external key, 0 duplicates\n`);
    // Each kill costs the heartbeat timeout and then the new attempt's wait for the killed one's last partner call.
  }, 300_000);

  it('continues as new during a long catch-up and carries watermarks and counters', async () => {
    const s = scenario();
    const start = new Date(Date.now() - 5 * DAY);
    s.partner.seed(1_200, start, 5 * DAY);
    const handle = await s.start({ flow: { overlapMs: 0, maxWindowMs: 3_600_000, initialFrom: start.toISOString() } });

    await eventually(async () => s.partner.entries.size === 1_200 && (await s.status()).state === 'idle', 240_000, '1,200 entries over ~120 windows');
    const status = await s.status();
    expect(status.totals.runs).toBeGreaterThanOrEqual(1);
    expect(status.progress['test-records-to-entries']!.synced).toBe(1_200);
    expect(s.partner.duplicates()).toEqual([]);
    const first = await suite.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId).describe();
    expect(first.status.name).toBe('CONTINUED_AS_NEW');
    await recordHistory('engine-continue-as-new', handle, suite.client);
  });

  it('dead-letters a record the target refuses, keeps the raw answer, and replays it after the data is fixed', async () => {
    const s = scenario();
    const start = new Date(Date.now() - DAY);
    s.partner.seed(50, start, DAY / 2);
    s.partner.edit('REC-000007', { name: 'INVALID name' }, new Date(start.getTime() + 1000));
    s.partner.rejectNamesContaining = 'INVALID';
    const handle = await s.start({ flow: { overlapMs: 0, maxWindowMs: DAY, initialFrom: start.toISOString() } });

    await eventually(async () => s.partner.entries.size === 49 && (await s.status()).state === 'idle', 60_000, '49 entries');
    const letters = await suite.db.pool.query(`SELECT record_key, partner_status, raw_response, status FROM dead_letters WHERE connection_id = $1`, [s.connectionId]);
    expect(letters.rows).toEqual([
      { record_key: 'REC-000007', partner_status: 422, raw_response: JSON.stringify({ error: { field: 'name', message: 'name may not contain INVALID' } }), status: 'open' },
    ]);

    s.partner.edit('REC-000007', { name: 'Fixed name' }, new Date(start.getTime() + 2000));
    const summary = await handle.executeUpdate(replayDeadLettersUpdate, { args: [{ recordKeys: ['REC-000007'] }] });
    expect(summary).toEqual({ attempted: 1, resolved: 1, stillFailing: 0 });
    expect([...s.partner.entries.values()].find((e) => e.externalKey === 'REC-000007')?.name).toBe('Fixed name');
    const after = await suite.db.pool.query(`SELECT status FROM dead_letters WHERE connection_id = $1`, [s.connectionId]);
    expect(after.rows).toEqual([{ status: 'resolved' }]);
    await recordHistory('engine-dead-letter-replay', handle, suite.client);
  });

  it('waits for Retry-After before sending again after a 429', async () => {
    const s = scenario();
    const start = new Date(Date.now() - DAY);
    s.partner.seed(20, start, DAY / 2);
    s.partner.tooManyRequests = { count: 1, retryAfterSeconds: 3 };
    await s.start({ flow: { overlapMs: 0, maxWindowMs: DAY, initialFrom: start.toISOString() } });

    await eventually(async () => s.partner.entries.size === 20 && (await s.status()).state === 'idle', 60_000, '20 entries');
    const writes = s.partner.requests.filter((r) => r.path.startsWith('/target/entries') && r.method !== 'GET');
    const limited = writes.find((r) => r.status === 429)!;
    const nextWrite = writes.find((r) => r.at > limited.at && r.status !== 429)!;
    // Other lanes in flight may land just after the 429; the retried attempt's first write waits the full delay.
    const retried = s.partner.requests.filter((r) => r.path === '/source/records' && r.at > limited.at)[0]!;
    expect(retried.at - limited.at).toBeGreaterThanOrEqual(3_000);
    expect(nextWrite).toBeDefined();
    expect(s.partner.duplicates()).toEqual([]);
  });
});
