import { canonicalDecimal, compareState, isExact } from './compare-state';

const rec = (key: string, amount: string) => ({ key, fields: { amount } });
const target = (key: string, amount: string, targetId: string) => ({ key, targetId, fields: { amount } });

describe('compareState: the partner state against the expected one, record by record', () => {
  it('is exact when every record is there once, right and linked', () => {
    const c = compareState([rec('a', '1'), rec('b', '2')], [target('a', '1', 't1'), target('b', '2', 't2')], new Set(), new Map([['a', 't1'], ['b', 't2']]));
    expect(c).toMatchObject({ checked: 2, synced: 2, deadLettered: 0, duplicates: [], missing: [], wrong: [], unlinked: [] });
    expect(isExact(c)).toBe(true);
  });

  it('names duplicates, missing, unexpected, wrong and unlinked records', () => {
    const c = compareState(
      [rec('a', '1'), rec('b', '2'), rec('c', '3'), rec('d', '4')],
      [target('a', '1', 't1'), target('a', '1', 't9'), target('c', '30', 't3'), target('d', '4', 't4'), target('x', '0', 't5')],
      new Set(),
      new Map([['a', 't1'], ['c', 't3'], ['d', 't8']]),
    );
    expect(c.duplicates).toEqual(['a']);
    expect(c.missing).toEqual(['b']);
    expect(c.unexpected).toEqual(['x']);
    expect(c.wrong).toEqual(['c amount: expected "3", got "30"']);
    expect(c.unlinked).toEqual(['d: target t4, link t8']);
    expect(isExact(c)).toBe(false);
  });

  it('counts a dead-lettered record as accounted for, and one both synced and dead-lettered as wrong', () => {
    const c = compareState([rec('a', '1'), rec('b', '2')], [target('a', '1', 't1')], new Set(['a', 'b']), new Map([['a', 't1']]));
    expect(c).toMatchObject({ synced: 1, deadLettered: 1, missing: [], syncedAndDeadLettered: ['a'] });
    expect(isExact(c)).toBe(false);
  });

  it('reads decimals as text without a float', () => {
    expect(['1234.50', '1234.5', 1234.5, '01234.500'].map(canonicalDecimal)).toEqual(['1234.5', '1234.5', '1234.5', '1234.5']);
    expect([0, '0.00', '-0.10', '', null, '12'].map(canonicalDecimal)).toEqual(['0', '0', '-0.1', null, null, '12']);
  });
});
