import { readRateLimit } from './rate-pacing';

/** How long a 429 makes us wait, from Jira's headers (https://developer.atlassian.com/cloud/jira/platform/rate-limiting/). */
describe('readRateLimit', () => {
  const now = Date.parse('2026-11-30T19:30:00Z');
  const quota = { 'ratelimit-reason': 'jira-quota-global-based', 'x-ratelimit-limit': '65000', 'x-ratelimit-remaining': '0' };

  it('waits Retry-After for an exhausted quota, even when X-RateLimit-Reset (by a skewed clock) says otherwise', () => {
    const answer = readRateLimit({ ...quota, 'retry-after': '20', 'x-ratelimit-reset': '2026-11-30T20:00:00.000Z' }, now, 1000);
    expect(answer).toEqual({ kind: 'quota', waitMs: 20_000, reason: 'jira-quota-global-based' });
  });

  it('falls back to X-RateLimit-Reset, then to the top of the hour, when Jira sent no Retry-After', () => {
    expect(readRateLimit({ ...quota, 'x-ratelimit-reset': '2026-11-30T19:45:00.000Z' }, now, 1000).waitMs).toBe(15 * 60_000);
    expect(readRateLimit(quota, now, 1000).waitMs).toBe(30 * 60_000);
  });

  it('waits Retry-After for burst and per-issue limits, the default pause without it', () => {
    expect(readRateLimit({ 'ratelimit-reason': 'jira-burst-based', 'retry-after': '1' }, now, 5000)).toEqual({ kind: 'burst', waitMs: 1000, reason: 'jira-burst-based' });
    expect(readRateLimit({ 'ratelimit-reason': 'jira-per-issue-on-write' }, now, 5000)).toEqual({ kind: 'per-issue', waitMs: 5000, reason: 'jira-per-issue-on-write' });
  });
});
