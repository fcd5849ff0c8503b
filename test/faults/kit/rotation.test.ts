import { rotation } from './pair-suite';

const pairs = ['a', 'b', 'c', 'd', 'e'];
const scenarios = ['R4', 'R5', 'R8', 'R1'];
const all = scenarios.map((s): [string, string[]] => [s, pairs]);

describe('the short suite rotation', () => {
  it('runs R1 on every pair and each other scenario on exactly one pair a day', () => {
    const runs = rotation(all, true, 20_000);
    for (const p of pairs) expect(runs.has(`${p} R1`)).toBe(true);
    for (const s of ['R4', 'R5', 'R8']) expect(pairs.filter((p) => runs.has(`${p} ${s}`))).toHaveLength(1);
    expect(runs.size).toBe(pairs.length + 3);
  });

  it('gives every pair every scenario within as many days as there are pairs', () => {
    const seen = new Set<string>();
    for (let day = 0; day < pairs.length; day++) for (const r of rotation(all, true, day)) seen.add(r);
    expect(seen.size).toBe(pairs.length * scenarios.length);
  });

  it('picks a scenario that applies to some pairs only among those', () => {
    const runs = rotation([['R10', ['b', 'd']], ['R1', pairs]], true, 7);
    expect([...runs].filter((r) => r.endsWith(' R10'))).toHaveLength(1);
    expect(runs.has('a R10') || runs.has('c R10') || runs.has('e R10')).toBe(false);
  });

  it('rotates R1r (kills on the return path) like any other scenario: only R1 runs on every pair', () => {
    const runs = rotation([['R1r', ['a', 'b', 'c']], ['R1', pairs]], true, 3);
    expect([...runs].filter((r) => r.endsWith(' R1r'))).toHaveLength(1);
  });

  it('runs everything without rotation', () => {
    expect(rotation(all, false).size).toBe(pairs.length * scenarios.length);
  });
});
