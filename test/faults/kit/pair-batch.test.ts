import { faultConcurrency, PairBatch } from './pair-batch';

describe('PairBatch (a scenario\'s pairs at once)', () => {
  it('runs at most `limit` pairs at once, starts them all on the first ask and gives each test its own pair\'s result', async () => {
    const batch = new PairBatch<string>(2);
    let active = 0;
    let most = 0;
    const started: string[] = [];
    for (const pair of ['a', 'b', 'c', 'd', 'e']) {
      batch.add(pair, async () => {
        started.push(pair);
        active += 1;
        most = Math.max(most, active);
        await new Promise((r) => setTimeout(r, 20));
        active -= 1;
        return `${pair} done`;
      });
    }
    expect(batch.rounds).toBe(3);
    expect(started).toEqual([]);
    expect(await batch.result('c')).toBe('c done');
    expect(await Promise.all(['a', 'b', 'd', 'e'].map((p) => batch.result(p)))).toEqual(['a done', 'b done', 'd done', 'e done']);
    expect(most).toBe(2);
    expect(started).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(() => batch.add('f', async () => 'late')).toThrow(/after the batch started/);
    expect(() => batch.result('x')).toThrow(/not in this batch/);
  });

  it('reads MLC_FAULT_CONCURRENCY, default 5, and names the variable on a bad value', () => {
    expect(faultConcurrency({})).toBe(5);
    expect(faultConcurrency({ MLC_FAULT_CONCURRENCY: '2' })).toBe(2);
    expect(() => faultConcurrency({ MLC_FAULT_CONCURRENCY: '0' })).toThrow(/MLC_FAULT_CONCURRENCY/);
    expect(() => faultConcurrency({ MLC_FAULT_CONCURRENCY: 'all' })).toThrow(/MLC_FAULT_CONCURRENCY/);
  });
});
