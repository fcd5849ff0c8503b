import { outageOf } from './partner-outage';

const streak = { failedAttempt: 6, failures: 4, failingSince: '2026-12-01T10:00:00.000Z', lastError: 'jira POST /rest/api/3/issue: HTTP 503' };
const next = new Date('2026-12-01T10:00:31.000Z');

describe('the connection outage in status', () => {
  it('shows the streak of an activity waiting in backoff after a failed attempt, with its next retry', () => {
    expect(outageOf([{ attempt: 7, running: false, nextAttemptAt: next, details: streak }])).toEqual({
      since: streak.failingSince,
      failedAttempts: 4,
      lastError: streak.lastError,
      nextRetryAt: next.toISOString(),
    });
  });

  it('keeps showing it while the next attempt runs (it heartbeats the streak on), without a next retry', () => {
    expect(outageOf([{ attempt: 7, running: true, details: { flow: 'a', fetched: 0, done: 0, ...streak } }])).toEqual({ since: streak.failingSince, failedAttempts: 4, lastError: streak.lastError });
  });

  it('shows none once an attempt ended otherwise (an idle poll), for progress-only heartbeats, or with nothing pending', () => {
    expect(outageOf([{ attempt: 8, running: false, nextAttemptAt: next, details: streak }])).toBeUndefined();
    expect(outageOf([{ attempt: 2, running: true, details: { flow: 'a', fetched: 3, done: 1 } }])).toBeUndefined();
    expect(outageOf([])).toBeUndefined();
  });
});
