import { decideForStatus, PartnerError } from '../../core/partner-error';
import { retryRead } from './read-retry';

const failure = (status: number | undefined, retryAfterMs?: number) =>
  new PartnerError(`HTTP ${status ?? 'none'}`, { partner: 'Test', operation: 'GET page', status, decision: decideForStatus(status, retryAfterMs) });

/** A read that fails with the given errors first, then answers; counts its calls. */
function flaky(errors: unknown[]) {
  let calls = 0;
  return {
    read: async () => {
      calls += 1;
      const e = errors.shift();
      if (e) throw e;
      return 'page';
    },
    calls: () => calls,
  };
}

describe('retryRead (a page read retried in place)', () => {
  const policy = { retries: 3, firstWaitMs: 1_000, maxWaitMs: 20_000 };

  it('retries 5xx, 429 and missing answers with backoff, honouring Retry-After', async () => {
    const waits: number[] = [];
    const r = flaky([failure(503), failure(429, 3_000), failure(undefined)]);
    await expect(retryRead(r.read, policy, async (ms) => void waits.push(ms))).resolves.toBe('page');
    expect(r.calls()).toBe(4);
    expect(waits).toEqual([1_000, 3_000, 4_000]);
  });

  it('gives up after its retries, and at once on a refusal, a long Retry-After or an error that is not the partner\'s', async () => {
    const waits: number[] = [];
    const record = async (ms: number) => void waits.push(ms);
    const many = flaky([failure(503), failure(503), failure(503), failure(502)]);
    await expect(retryRead(many.read, policy, record)).rejects.toThrow('HTTP 502');
    expect(many.calls()).toBe(4);
    for (const err of [failure(404), failure(429, 60_000), new Error('lease lost')]) {
      const once = flaky([err]);
      await expect(retryRead(once.read, policy, record)).rejects.toBe(err);
      expect(once.calls()).toBe(1);
    }
    expect(waits).toEqual([1_000, 2_000, 4_000]);
  });
});
