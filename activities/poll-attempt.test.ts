import { type PollFlow, type PollRequest, type WindowSummary } from '../core/sync-types';
import { type PollLedger } from '../db/poll-ledgers';
import { attemptWindow, pollDueAt, returnReason, transientRetry, usableVerified } from './poll-attempt';

const T0 = Date.parse('2026-11-20T12:00:00.000Z');
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const flow = (over: Partial<PollFlow> = {}): PollFlow => ({ flow: 'a', from: iso(T0), overlapMs: 5 * MIN, maxWindowMs: 60 * MIN, ...over });
const request = (over: Partial<PollRequest> = {}): PollRequest => ({
  connectionId: 'c1',
  workflowId: 'connection/c1',
  runId: 'run-1',
  schedule: '@every 300s',
  notBefore: iso(T0 + 10 * MIN),
  report: false,
  flows: [flow()],
  ...over,
});
const ledger = (over: Partial<PollLedger> = {}): PollLedger => ({
  connection_id: 'c1',
  run_id: 'run-1',
  verified: {},
  unreported_polls: 0,
  last_poll_at: null,
  next_poll_at: null,
  schedule: '@every 300s',
  ...over,
});
const summary = (over: Partial<WindowSummary> = {}): WindowSummary => ({ fetched: 0, created: 0, updated: 0, unchanged: 0, deadLettered: 0, failedKeys: [], watermark: iso(T0 + 20 * MIN), ...over });

describe('poll attempt decisions', () => {
  it('is due at the request time, or at the later time an idle poll set under the same schedule', () => {
    expect(pollDueAt(request(), undefined)).toBe(T0 + 10 * MIN);
    expect(pollDueAt(request(), ledger({ next_poll_at: new Date(T0 + 15 * MIN) }))).toBe(T0 + 15 * MIN);
    expect(pollDueAt(request(), ledger({ next_poll_at: new Date(T0 + 5 * MIN) }))).toBe(T0 + 10 * MIN);
    // After a schedule change the ledger's time belongs to the old schedule.
    expect(pollDueAt(request(), ledger({ next_poll_at: new Date(T0 + 50 * MIN), schedule: '0 * * * *' }))).toBe(T0 + 10 * MIN);
  });

  it('uses verified windows only for the same run and the same window start', () => {
    const verified = { a: { from: iso(T0), to: iso(T0 + 30 * MIN) } };
    expect(usableVerified(request(), ledger({ verified }))).toEqual(verified);
    expect(usableVerified(request({ runId: 'run-2' }), ledger({ verified }))).toEqual({});
    expect(usableVerified(request({ flows: [flow({ from: iso(T0 + MIN) })] }), ledger({ verified }))).toEqual({});
  });

  it('reads from the start (or past verified windows, less the overlap) up to now, capped by maxWindowMs', () => {
    const now = T0 + 20 * MIN;
    expect(attemptWindow(flow(), undefined, now)).toEqual({ from: T0, to: now });
    expect(attemptWindow(flow(), { from: iso(T0), to: iso(T0 + 15 * MIN) }, now)).toEqual({ from: T0 + 10 * MIN, to: now });
    expect(attemptWindow(flow({ maxWindowMs: 5 * MIN }), undefined, now)).toEqual({ from: T0, to: T0 + 5 * MIN });
    expect(attemptWindow(flow({ from: iso(now) }), undefined, now)).toBeUndefined();
  });

  it('returns to the workflow for writes, dead letters, catch-ups, new or cleared errors and reports; not for unchanged re-reads', () => {
    const now = T0 + 20 * MIN;
    const req = request({ flows: [flow(), flow({ flow: 'b', lastError: 'bad credentials' })] });
    const idleB = { error: 'bad credentials' };
    expect(returnReason(req, { a: { summary: summary({ fetched: 3, unchanged: 3 }) }, b: idleB }, now)).toBeUndefined();
    expect(returnReason(req, { b: idleB }, now)).toBeUndefined();
    expect(returnReason({ ...req, report: true }, { a: { summary: summary() }, b: idleB }, now)).toBe('asked to report');
    expect(returnReason(req, { a: { summary: summary({ fetched: 1, created: 1 }) }, b: idleB }, now)).toBe('a wrote records');
    expect(returnReason(req, { a: { summary: summary({ fetched: 1, deadLettered: 1 }) }, b: idleB }, now)).toBe('a wrote records');
    expect(returnReason(req, { a: { summary: summary({ watermark: iso(now - MIN) }) }, b: idleB }, now)).toBe('a needs catch-up windows');
    expect(returnReason(req, { a: { error: 'routing missing' }, b: idleB }, now)).toBe('a failed');
    expect(returnReason(req, { a: { summary: summary() }, b: { error: 'another error' } }, now)).toBe('b failed');
    expect(returnReason(req, { a: { summary: summary() }, b: { summary: summary() } }, now)).toBe('b recovered');
  });

  it('backs off transient failures in a row from 1 s to 2 min, and starts again at 1 s after a poll that did not fail', () => {
    expect(transientRetry(undefined, 7)).toEqual({ failures: 1, delayMs: 1_000 });
    expect(transientRetry({ failedAttempt: 6, failures: 1 }, 7)).toEqual({ failures: 2, delayMs: 2_000 });
    expect(transientRetry({ failedAttempt: 6, failures: 4 }, 7)).toEqual({ failures: 5, delayMs: 16_000 });
    expect(transientRetry({ failedAttempt: 6, failures: 30 }, 7)).toEqual({ failures: 31, delayMs: 120_000 });
    // Attempt 6 failed, attempt 7 was an idle poll: attempt 8's failure is a new streak.
    expect(transientRetry({ failedAttempt: 6, failures: 3 }, 8)).toEqual({ failures: 1, delayMs: 1_000 });
    // A killed attempt leaves only its progress behind.
    expect(transientRetry({ flow: 'a', fetched: 10, done: 4 }, 3)).toEqual({ failures: 1, delayMs: 1_000 });
  });
});
