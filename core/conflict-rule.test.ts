import { decideConflict, defaultConflictRule } from './conflict-rule';

describe('conflict rules', () => {
  const sides = (source: Record<string, unknown>, target: Record<string, unknown>) => ({ sourceSystem: 'peoplesoft', targetSystem: 'procurify', source, target });

  it('lets the declared side win', () => {
    expect(decideConflict('source-wins', sides({ name: 'a' }, { name: 'b' }))).toMatchObject({ winner: 'source', differing: ['name'] });
    expect(decideConflict('target-wins', sides({ name: 'a' }, { name: 'b' }))).toMatchObject({ winner: 'target' });
  });

  it('by default lets PeopleSoft win when a financial field differs, and the source otherwise', () => {
    const rule = defaultConflictRule(['amount']);
    expect(decideConflict(rule, sides({ name: 'a', amount: '10.00' }, { name: 'b', amount: '12.00' }))).toMatchObject({ winner: 'source', differing: ['amount', 'name'] });
    // Seen from the other direction (PeopleSoft is the target), PeopleSoft still wins the financial field.
    const reverse = { sourceSystem: 'procurify', targetSystem: 'peoplesoft', source: { amount: '12.00' }, target: { amount: '10.00' } };
    expect(decideConflict(rule, reverse)).toMatchObject({ winner: 'target', reason: expect.stringContaining('peoplesoft wins') });
    expect(decideConflict(rule, { ...reverse, source: { name: 'x', amount: '10.00' }, target: { name: 'y', amount: '10.00' } })).toMatchObject({ winner: 'source', differing: ['name'] });
  });
});
