import { createTestDatabase, type TestDatabase } from '../test/support/database';
import { getPollLedger, recordIdlePoll, takeUnreportedPolls } from './poll-ledgers';

describe('poll ledgers: what idle polls leave for the next attempt', () => {
  let db: TestDatabase;
  const at = (m: number) => new Date(Date.UTC(2026, 10, 20, 12, m));
  const poll = (runId: string, m: number, verified: Record<string, { from: string; to: string }>) => ({
    connectionId: 'c1',
    runId,
    verified,
    polledAt: at(m),
    nextPollAt: at(m + 5),
    schedule: '@every 300s',
  });

  beforeAll(async () => {
    db = await createTestDatabase('poll-ledgers');
  });
  afterAll(async () => {
    await db.drop();
  });

  it('counts idle polls, merges a run’s verified windows, replaces another run’s, and hands the count over once', async () => {
    expect(await getPollLedger(db.pool, 'c1')).toBeUndefined();
    await recordIdlePoll(db.pool, poll('run-1', 0, { a: { from: 'A0', to: 'A1' }, b: { from: 'B0', to: 'B1' } }));
    await recordIdlePoll(db.pool, poll('run-1', 5, { a: { from: 'A0', to: 'A2' } }));
    let l = await getPollLedger(db.pool, 'c1');
    expect(l).toMatchObject({ run_id: 'run-1', unreported_polls: 2, verified: { a: { from: 'A0', to: 'A2' }, b: { from: 'B0', to: 'B1' } }, next_poll_at: at(10) });

    // A continued or reset run has other watermarks: its windows replace the old run's; the count goes on.
    await recordIdlePoll(db.pool, poll('run-2', 10, { a: { from: 'A5', to: 'A6' } }));
    l = await getPollLedger(db.pool, 'c1');
    expect(l).toMatchObject({ run_id: 'run-2', unreported_polls: 3, verified: { a: { from: 'A5', to: 'A6' } }, last_poll_at: at(10) });

    const ret = { connectionId: 'c1', runId: 'run-2', polledAt: at(20), nextPollAt: at(25), schedule: '@every 300s' };
    expect(await takeUnreportedPolls(db.pool, ret)).toBe(3);
    expect(await takeUnreportedPolls(db.pool, ret)).toBe(0);
    expect(await getPollLedger(db.pool, 'c1')).toMatchObject({ unreported_polls: 0, last_poll_at: at(20), next_poll_at: at(25) });
    // A connection whose first poll returns has no row yet.
    expect(await takeUnreportedPolls(db.pool, { ...ret, connectionId: 'c2' })).toBe(0);
    expect(await getPollLedger(db.pool, 'c2')).toMatchObject({ run_id: 'run-2', unreported_polls: 0, next_poll_at: at(25) });
  });
});
