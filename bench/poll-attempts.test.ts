import { pollLags, type PollAttempt } from './poll-attempts';

const attempt = (a: Partial<PollAttempt> & Pick<PollAttempt, 'attempt' | 'startedAt'>): PollAttempt => ({ workflowId: 'w', activityId: '1', scheduledAt: a.startedAt, polled: true, ...a });

describe('poll lag from poll attempts', () => {
  it('measures from the time the previous attempt asked for, else from when the server scheduled the attempt; waits are not polls', () => {
    const lags = pollLags([
      attempt({ attempt: 1, startedAt: 1_000, scheduledAt: 990, polled: false, retryAt: 5_000 }),
      attempt({ attempt: 2, startedAt: 5_040, scheduledAt: 5_010, retryAt: 10_000 }),
      attempt({ attempt: 3, startedAt: 10_300, scheduledAt: 10_020 }),
      // After a transient failure (no retryAt) the server's schedule is the due time.
      attempt({ attempt: 4, startedAt: 12_100, scheduledAt: 12_000 }),
      attempt({ workflowId: 'other', attempt: 3, startedAt: 20_000, scheduledAt: 19_500 }),
    ]);
    expect(lags).toEqual([
      { startedAt: 5_040, lagMs: 40 },
      { startedAt: 10_300, lagMs: 300 },
      { startedAt: 12_100, lagMs: 100 },
      { startedAt: 20_000, lagMs: 500 },
    ]);
  });
});
