import { type SourceRecord } from './flows/types';
import { WindowPrefetch } from './window-prefetch';

const rec = (key: string): SourceRecord => ({ key, updatedAt: '2026-11-01T00:00:00.000Z', data: {} });
const next = { from: '2026-11-01T00:00:00.000Z', to: '2026-11-08T00:00:00.000Z', overlapMs: 5 * 60_000 };

describe('windows fetched ahead (one per connection and flow)', () => {
  it('hands the records to the activity of exactly that window, once', async () => {
    const ahead = new WindowPrefetch(() => Date.parse('2026-11-30T00:00:00Z'));
    let fetches = 0;
    ahead.start('c1', 'f', next, () => Promise.resolve([rec(`R${++fetches}`)]));
    // Another connection, flow or range is not this window.
    expect(await ahead.take('c2', 'f', next.from, next.to)).toBeUndefined();
    expect(await ahead.take('c1', 'f', next.from, '2026-11-07T00:00:00.000Z')).toBeUndefined();
    // Asked with another range, the entry is gone: at most one window ahead, never a stale one later.
    expect(await ahead.take('c1', 'f', next.from, next.to)).toBeUndefined();
    ahead.start('c1', 'f', next, () => Promise.resolve([rec(`R${++fetches}`)]));
    expect(await ahead.take('c1', 'f', next.from, next.to)).toEqual([rec('R2')]);
    expect(await ahead.take('c1', 'f', next.from, next.to)).toBeUndefined();
    expect(ahead.size).toBe(0);
  });

  it('keeps one window per connection and flow, and lets a failed or expired one be fetched again', async () => {
    let now = Date.parse('2026-11-30T00:00:00Z');
    const ahead = new WindowPrefetch(() => now, 60_000);
    ahead.start('c1', 'f', next, () => Promise.resolve([rec('old')]));
    const later = { ...next, from: next.to, to: '2026-11-15T00:00:00.000Z' };
    ahead.start('c1', 'f', later, () => Promise.resolve([rec('new')]));
    expect(ahead.size).toBe(1);
    expect(await ahead.take('c1', 'f', later.from, later.to)).toEqual([rec('new')]);

    ahead.start('c1', 'f', next, () => Promise.reject(new Error('HTTP 503')));
    expect(await ahead.take('c1', 'f', next.from, next.to)).toBeUndefined();

    ahead.start('c1', 'f', next, () => Promise.resolve([rec('stale')]));
    now += 60_001;
    expect(await ahead.take('c1', 'f', next.from, next.to)).toBeUndefined();
  });

  it('fetches ahead only windows that ended longer ago than the source clock skew (the flow overlap)', () => {
    const end = Date.parse(next.to);
    expect(new WindowPrefetch(() => end + next.overlapMs).settled(next)).toBe(true);
    expect(new WindowPrefetch(() => end + next.overlapMs - 1).settled(next)).toBe(false);
  });
});
