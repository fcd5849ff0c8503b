import { type ConflictRule } from '../../core/conflict-rule';
import { updateConfigUpdate } from '../../core/sync-messages';
import { type FlowSettings } from '../../core/sync-types';
import { ENTRIES_TO_RECORDS, RECORDS_TO_ENTRIES_BOTH } from '../fixtures/test-partner-both-ways';
import { payloadHash } from '../../activities/record-hash';
import { setMirrorStates } from '../../db/mirror-states';
import { eventually } from '../support/worker-process';
import { engineSuite, type EngineScenario } from './engine-harness';

const DAY = 86_400_000;

describe('an entity synced both ways on the real Temporal dev server and PostgreSQL', () => {
  const suite = engineSuite('both-ways');
  const scenario = suite.scenario;

  /** Records -> entries and entries -> records over the same entity, with the given rules. */
  async function bothWays(count: number, rules: { forward?: ConflictRule; back?: ConflictRule } = {}) {
    const s = scenario();
    const start = new Date(Date.now() - 2 * DAY);
    s.partner.seed(count, start, DAY);
    const window = { overlapMs: 60_000, maxWindowMs: 30 * DAY, initialFrom: start.toISOString(), enabled: true };
    const flows: FlowSettings[] = [
      { flow: RECORDS_TO_ENTRIES_BOTH, conflictRule: rules.forward, ...window },
      { flow: ENTRIES_TO_RECORDS, conflictRule: rules.back, ...window },
    ];
    const handle = await s.start({ flows });
    await eventually(async () => s.partner.entries.size === count && (await s.status()).state === 'idle', 120_000, `${count} entries`);
    return { s, handle, flows };
  }

  /** One asked-for poll, to its end. */
  async function poll(s: EngineScenario): Promise<void> {
    const before = (await s.status()).totals.polls;
    await s.handle!.signal('pollNow');
    await eventually(async () => (await s.status()).totals.polls > before && (await s.status()).state === 'idle', 120_000, 'the asked-for poll');
  }

  const entryWrites = (s: EngineScenario) => [...s.partner.entries.values()].reduce((n, e) => n + e.writes, 0);

  it('reads 1,000 records back after their creation and after an edit (2,000 round trips) and writes none of them back', async () => {
    const { s } = await bothWays(1_000);
    // The way back reads the 1,000 new entries (written after the first poll's window closed) in the next poll.
    await poll(s);
    await poll(s);
    expect(s.partner.sourceWrites).toBe(0);
    expect(s.partner.creates).toBe(1_000);
    expect(entryWrites(s)).toBe(1_000);

    // Every record edited at the source: 1,000 updates go out and come back, and nothing goes out again.
    for (const key of s.partner.source.keys()) s.partner.edit(key, { name: `${key} edited` });
    await poll(s);
    await poll(s);
    await poll(s);
    const echoWrites = s.partner.sourceWrites + (entryWrites(s) - 2_000);
    process.stdout.write(`[measure] 2,000 read-backs of our own writes (1,000 creates + 1,000 updates): ${echoWrites} echo writes\n`);
    expect(s.partner.sourceWrites).toBe(0);
    expect(entryWrites(s)).toBe(2_000);
    expect([...s.partner.entries.values()].every((e) => e.name === `${e.externalKey} edited`)).toBe(true);
    expect(s.partner.source.size).toBe(1_000);
    const links = await suite.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM record_links WHERE connection_id = $1 AND source_system = 'test-target'`, [s.connectionId]);
    expect(links.rows[0]!.n).toBe(0);
    const letters = await suite.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM dead_letters WHERE connection_id = $1`, [s.connectionId]);
    expect(letters.rows[0]!.n).toBe(0);
  }, 300_000);

  it('writes a record whose mirror state was left without a link (a fenced-out attempt) instead of taking it for an echo', async () => {
    const s = scenario();
    const start = new Date(Date.now() - 2 * DAY);
    s.partner.seed(10, start, DAY);
    // What an attempt whose link writes the fence refused leaves behind: mirror states, no record links.
    const planted = [...s.partner.source.values()].slice(0, 4);
    await setMirrorStates(suite.db.pool, s.connectionId, planted.map((r) => ({ system: 'test-source', recordKey: r.key, hash: payloadHash({ name: r.name, amount: r.amount }) })));
    const window = { overlapMs: 60_000, maxWindowMs: 30 * DAY, initialFrom: start.toISOString(), enabled: true };
    await s.start({ flows: [{ flow: RECORDS_TO_ENTRIES_BOTH, ...window }, { flow: ENTRIES_TO_RECORDS, ...window }] });
    await eventually(async () => s.partner.entries.size === 10 && (await s.status()).state === 'idle', 120_000, '10 entries, the 4 planted ones too');
    expect([...s.partner.entries.values()].map((e) => e.externalKey).sort()).toEqual([...s.partner.source.keys()].sort());
  });

  it('carries a real edit on either side to the other, once', async () => {
    const { s } = await bothWays(10);
    await poll(s);
    const entry = s.partner.entryFor('REC-000005')!;
    s.partner.editEntry(entry.id, { name: 'renamed on the target' });
    await poll(s);
    expect(s.partner.source.get('REC-000005')!.name).toBe('renamed on the target');
    expect(s.partner.sourceWrites).toBe(1);
    const writes = entryWrites(s);

    s.partner.edit('REC-000006', { amount: 999 });
    await poll(s);
    await poll(s);
    expect(s.partner.entryFor('REC-000006')!.amount).toBe(999);
    expect(entryWrites(s)).toBe(writes + 1);
    // The record we wrote on the source came back to the forward flow and was not written to the target again.
    expect(s.partner.entryFor('REC-000005')!.writes).toBe(1);
    expect(s.partner.sourceWrites).toBe(1);

    // An entry created on the target becomes a source record, and does not come back as a second entry.
    s.partner.entries.set('NEW-1', { id: 'NEW-1', externalKey: 'made-on-target', name: 'made on the target', amount: 12, writes: 1, updatedAt: new Date().toISOString(), seq: 0 });
    await poll(s);
    await poll(s);
    const made = [...s.partner.source.values()].filter((r) => r.origin === 'NEW-1');
    expect(made.map((r) => [r.name, r.amount])).toEqual([['made on the target', 12]]);
    expect(s.partner.entries.size).toBe(11);
    expect(s.partner.entries.get('NEW-1')!.writes).toBe(1);
  }, 180_000);

  it('settles edits made on both sides by the declared rule and audits the conflict with both hashes', async () => {
    // The source side wins, declared consistently on both flows.
    const { s, handle, flows } = await bothWays(10, { forward: 'source-wins', back: 'target-wins' });
    await poll(s);
    const e7 = s.partner.entryFor('REC-000007')!;
    s.partner.edit('REC-000007', { name: 'source name' });
    s.partner.editEntry(e7.id, { name: 'target name' });
    await poll(s);
    await poll(s);
    expect(s.partner.source.get('REC-000007')!.name).toBe('source name');
    expect(s.partner.entries.get(e7.id)!.name).toBe('source name');

    // Financial fields: the target's system wins them; otherwise the source wins.
    const rule: ConflictRule = { financialFieldsWin: 'test-target', fields: ['amount'], otherwise: 'source-wins' };
    await handle.executeUpdate(updateConfigUpdate, { args: [{ flows: flows.map((f) => ({ ...f, conflictRule: rule })) }] });
    const e8 = s.partner.entryFor('REC-000008')!;
    const e9 = s.partner.entryFor('REC-000009')!;
    s.partner.edit('REC-000008', { amount: 111 });
    s.partner.editEntry(e8.id, { amount: 222 });
    s.partner.edit('REC-000009', { name: 'source nine' });
    s.partner.editEntry(e9.id, { name: 'target nine' });
    await poll(s);
    await poll(s);
    expect([s.partner.source.get('REC-000008')!.amount, s.partner.entries.get(e8.id)!.amount]).toEqual([222, 222]);
    expect([s.partner.source.get('REC-000009')!.name, s.partner.entries.get(e9.id)!.name]).toEqual(['source nine', 'source nine']);

    const { rows } = await suite.db.pool.query<{ record_key: string; detail: Record<string, unknown> }>(
      `SELECT record_key, detail FROM audit_events WHERE connection_id = $1 AND action = 'conflict' ORDER BY record_key`,
      [s.connectionId],
    );
    expect(rows.map((r) => [r.record_key, r.detail.winner])).toEqual([
      ['REC-000007', 'test-source'],
      ['REC-000008', 'test-target'],
      ['REC-000009', 'test-source'],
    ]);
    for (const r of rows) {
      expect(r.detail.sourceHash).toMatch(/^[0-9a-f]{64}$/);
      expect(r.detail.targetHash).toMatch(/^[0-9a-f]{64}$/);
      expect(r.detail.sourceHash).not.toBe(r.detail.targetHash);
    }
    // Records of a page are written concurrently: the audit rows are compared by record, not by time.
    expect(rows[1]!.detail.reason).toBe('financial fields amount differ: test-target wins');
    // Settled once: one more poll finds nothing to write on either side.
    const [sourceWrites, writes] = [s.partner.sourceWrites, entryWrites(s)];
    await poll(s);
    expect([s.partner.sourceWrites, entryWrites(s)]).toEqual([sourceWrites, writes]);
  }, 180_000);
});
