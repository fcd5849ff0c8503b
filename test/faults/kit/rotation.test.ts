import { rotation } from './pair-suite';

const pairs = ['a', 'b', 'c', 'd', 'e'];
const scenarios = ['R4', 'R5', 'R8', 'R1'];

describe('the short suite rotation', () => {
  it('runs R1 on every pair and each other scenario on exactly one pair a day', () => {
    const runs = rotation(pairs, scenarios, true, 20_000);
    for (const p of pairs) expect(runs.has(`${p} R1`)).toBe(true);
    for (const s of ['R4', 'R5', 'R8']) expect(pairs.filter((p) => runs.has(`${p} ${s}`))).toHaveLength(1);
    expect(runs.size).toBe(pairs.length + 3);
  });

  it('gives every pair every scenario within as many days as there are pairs', () => {
    const seen = new Set<string>();
    for (let day = 0; day < pairs.length; day++) for (const r of rotation(pairs, scenarios, true, day)) seen.add(r);
    expect(seen.size).toBe(pairs.length * scenarios.length);
  });

  it('runs everything without rotation', () => {
    expect(rotation(pairs, scenarios, false).size).toBe(pairs.length * scenarios.length);
  });
});
