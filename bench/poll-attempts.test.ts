import { duePolls, pollLags, type PollAttempt } from './poll-attempts';

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

describe('due polls in a window', () => {
  it('counts every poll an attempt asked for, ran or not, and measures the ones that never ran to the end', () => {
    const due = duePolls(
      [
        // Due at 5,000 and ran 40 ms late.
        attempt({ attempt: 1, startedAt: 1_000, polled: false, retryAt: 5_000 }),
        attempt({ attempt: 2, startedAt: 5_040, retryAt: 10_000 }),
        // Due at 10,000: the next attempt found it not due yet and asked for 10,500, where it ran.
        attempt({ attempt: 3, startedAt: 10_001, polled: false, retryAt: 10_500 }),
        attempt({ attempt: 4, startedAt: 10_600, retryAt: 99_000 }),
        // Another connection: due at 12,000, never ran by the end (20,000).
        attempt({ workflowId: 'other', attempt: 7, startedAt: 2_000, retryAt: 12_000 }),
        // Due before the window: not counted.
        attempt({ workflowId: 'early', attempt: 1, startedAt: 100, retryAt: 900 }),
        attempt({ workflowId: 'early', attempt: 2, startedAt: 950 }),
      ],
      1_000,
      15_000,
      20_000,
    );
    expect(due).toEqual({ due: 3, ran: 2, missed: 1, lagsMs: [40, 100, 8_000] });
  });
});
