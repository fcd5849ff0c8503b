import { CredentialRateLimiter } from '../http/rate-limiter';
import { AnswerLog, paceFromHeaders, procoreRateLimitPolicy } from './rate-pacing';

/** Procore's headers as its rate limiter writes them: Reset in unix seconds (rounded up), Date in whole seconds. */
function headers(limit: number, remaining: number, resetAtMs: number, nowMs: number): Record<string, string> {
  return {
    'x-rate-limit-limit': String(limit),
    'x-rate-limit-remaining': String(remaining),
    'x-rate-limit-reset': String(Math.ceil(resetAtMs / 1000)),
    date: new Date(nowMs).toUTCString(),
  };
}

// Not on a second boundary, so the headers' rounding shows.
const BASE = 1_764_000_000_300;

function setup(now: number) {
  const limiter = new CredentialRateLimiter(procoreRateLimitPolicy, () => now);
  const log = new AnswerLog();
  // 25 answers, 10 ms apart: a full spike window whose oldest request was answered at BASE.
  for (let i = 0; i < 25; i += 1) log.add(BASE + i * 10);
  return { limiter, log };
}

describe('Procore pacing at the spike window', () => {
  it('ends the pause when the oldest request of the full window is 10 s old, not at the rounded Reset', () => {
    const now = BASE + 250;
    const { limiter, log } = setup(now);
    paceFromHeaders(limiter, headers(25, 0, BASE + 10_000, now), now, 0, log);
    expect(limiter.pausedUntilMs).toBe(BASE + 10_100);
  });

  it('counts the requests still in flight as already in the window (a later oldest, so never too early)', () => {
    const now = BASE + 250;
    const { limiter, log } = setup(now);
    // Three left and three others in flight: the oldest Procore may count is the 19th latest answer.
    paceFromHeaders(limiter, headers(25, 3, BASE + 10_000, now), now, 3, log);
    expect(limiter.pausedUntilMs).toBe(BASE + 60 + 10_100);
  });

  it('without a log (a new process) waits for Reset as the headers say', () => {
    const now = BASE + 250;
    const { limiter } = setup(now);
    paceFromHeaders(limiter, headers(25, 0, BASE + 10_000, now), now, 0);
    const dateMs = Math.floor(now / 1000) * 1000;
    expect(limiter.pausedUntilMs).toBe(now + Math.ceil((BASE + 10_000) / 1000) * 1000 - dateMs + 250);
  });

  it('never ends more than the headers rounding (2 s) before Reset: another process may have sent the oldest requests', () => {
    const now = BASE + 250;
    const { limiter, log } = setup(now);
    // The headers say the window resets 1 s later than our own log would have it.
    paceFromHeaders(limiter, headers(25, 0, BASE + 11_000, now), now, 0, log);
    const dateMs = Math.floor(now / 1000) * 1000;
    expect(limiter.pausedUntilMs).toBe(now + Math.ceil((BASE + 11_000) / 1000) * 1000 - dateMs - 2_000);
  });

  it('the hourly window (reset far away) is waited out by its Reset', () => {
    const now = BASE + 250;
    const { limiter, log } = setup(now);
    paceFromHeaders(limiter, headers(3600, 0, BASE + 1_800_000, now), now, 0, log);
    const dateMs = Math.floor(now / 1000) * 1000;
    expect(limiter.pausedUntilMs).toBe(now + Math.ceil((BASE + 1_800_000) / 1000) * 1000 - dateMs + 250);
  });
});
