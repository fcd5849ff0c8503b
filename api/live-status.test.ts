import { type SyncStatus } from '../core/sync-types';
import { type PollLedger } from '../db/poll-ledgers';
import { withIdlePolls } from './live-status';

const status: SyncStatus = {
  connectionId: 'c1',
  pair: 'peoplesoft-asana',
  state: 'idle',
  paused: false,
  schedule: '@every 300s',
  nextPollAt: '2026-11-20T12:05:00.000Z',
  lastPollAt: '2026-11-20T12:00:00.000Z',
  progress: { a: { watermark: '2026-11-20T12:00:00.000Z', synced: 3, failed: 0, lastPollAt: '2026-11-20T12:00:00.000Z' } },
  inboxPending: 0,
  totals: { polls: 4, inboxEvents: 0, duplicatesDropped: 0, runs: 0 },
  runStartedAt: '2026-11-20T11:00:00.000Z',
};
const ledger: PollLedger = {
  connection_id: 'c1',
  run_id: 'r1',
  verified: {},
  unreported_polls: 6,
  last_poll_at: new Date('2026-11-20T12:30:00.000Z'),
  next_poll_at: new Date('2026-11-20T12:35:00.000Z'),
  schedule: '@every 300s',
};

describe('status with the idle polls the workflow has not heard of', () => {
  it('adds the ledger’s idle polls, latest poll and next poll time', () => {
    const s = withIdlePolls(status, ledger);
    expect(s.totals.polls).toBe(10);
    expect(s.lastPollAt).toBe('2026-11-20T12:30:00.000Z');
    expect(s.nextPollAt).toBe('2026-11-20T12:35:00.000Z');
    // Per flow: what the workflow recorded.
    expect(s.progress).toEqual(status.progress);
  });

  it('keeps the workflow’s answer when it knows better: no ledger, a newer poll, another schedule, paused', () => {
    expect(withIdlePolls(status, undefined)).toEqual(status);
    const reported = withIdlePolls({ ...status, lastPollAt: '2026-11-20T12:40:00.000Z' }, { ...ledger, unreported_polls: 0 });
    expect(reported.lastPollAt).toBe('2026-11-20T12:40:00.000Z');
    expect(reported.totals.polls).toBe(4);
    expect(withIdlePolls({ ...status, schedule: '0 * * * *' }, ledger).nextPollAt).toBe(status.nextPollAt);
    expect(withIdlePolls({ ...status, paused: true }, ledger).nextPollAt).toBe(status.nextPollAt);
  });
});
