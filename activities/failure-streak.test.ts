import { extendStreak, priorStreak } from './failure-streak';

const T0 = new Date('2026-12-01T10:00:00.000Z');
const T1 = new Date('2026-12-01T10:02:00.000Z');

describe('failure streak carried in heartbeats', () => {
  it('starts at the first failure and keeps its start, counting failures, with the latest message', () => {
    const first = extendStreak(undefined, 3, new Error('asana POST /tasks: HTTP 503'), T0);
    expect(first).toEqual({ failedAttempt: 3, failures: 1, failingSince: T0.toISOString(), lastError: 'asana POST /tasks: HTTP 503' });
    const second = extendStreak(first, 4, new Error('connect ECONNREFUSED 127.0.0.1:9'), T1);
    expect(second).toEqual({ failedAttempt: 4, failures: 2, failingSince: T0.toISOString(), lastError: 'connect ECONNREFUSED 127.0.0.1:9' });
  });

  it('ends when an attempt in between did not fail (an idle poll), or the details are only progress', () => {
    const streak = extendStreak(undefined, 3, 'x', T0);
    expect(priorStreak(streak, 4)).toEqual(streak);
    expect(priorStreak(streak, 5)).toBeUndefined();
    expect(extendStreak(streak, 5, 'y', T1)).toMatchObject({ failures: 1, failingSince: T1.toISOString() });
    expect(priorStreak({ flow: 'a', fetched: 10, done: 4 }, 2)).toBeUndefined();
    expect(priorStreak({ failedAttempt: 1, failures: 2 }, 2)).toBeUndefined();
  });

  it('cuts a long message', () => {
    expect(extendStreak(undefined, 1, 'e'.repeat(1_000), T0).lastError).toHaveLength(300);
  });
});
