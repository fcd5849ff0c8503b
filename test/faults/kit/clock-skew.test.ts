import { windowEdges } from './clock-skew';
import { bumpAmount } from './source-clock';

describe('R11 window edges', () => {
  it('puts saves on both edges of the next window, 1 ms and 1 s either side, and inside the overlap', () => {
    const w = Date.parse('2026-12-01T10:00:00.000Z');
    const edges = new Map(windowEdges(w, 300_000));
    expect(edges.get('next window start (W - overlap)')).toBe(w - 300_000);
    expect(edges.get('W - overlap + 1 ms')).toBe(w - 300_000 + 1);
    expect(edges.get('W - overlap + 1 s')).toBe(w - 299_000);
    expect(edges.get('within the overlap')).toBe(w - 150_000);
    expect([edges.get('W - 1 s'), edges.get('W - 1 ms'), edges.get('W (last window end)'), edges.get('W + 1 ms'), edges.get('W + 1 s')]).toEqual([w - 1000, w - 1, w, w + 1, w + 1000]);
    // Nothing before the next window's start: a save there, after the window was read, is a skew beyond the overlap.
    expect(Math.min(...edges.values())).toBe(w - 300_000);
  });

  it('moves an amount by cents as text, without a float', () => {
    expect(bumpAmount('1234.5', 3)).toBe('1234.53');
    expect(bumpAmount('0.99', 1)).toBe('1.00');
    expect(bumpAmount(10, 2)).toBe('10.02');
  });
});
