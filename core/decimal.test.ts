import { canonicalDecimal, compareDecimals, decimalSchema, formatDecimal, fromScaled, multiplyDecimals, parseDecimal, requireDecimal, sumDecimals, toScaled } from './decimal';

describe('decimal money', () => {
  it('reads decimal text and plain JSON numbers, refuses exponents and junk', () => {
    expect(parseDecimal(' 1250.50 ')).toBe('1250.50');
    expect(parseDecimal('+3')).toBe('3');
    expect(parseDecimal(6670.13)).toBe('6670.13');
    expect(parseDecimal(1e21)).toBeUndefined();
    expect(parseDecimal('1,250.00')).toBeUndefined();
    expect(parseDecimal(Number.NaN)).toBeUndefined();
    expect(() => requireDecimal('12a', 'PRICE_PO')).toThrow(/PRICE_PO is "12a", not a decimal amount/);
    expect(decimalSchema.parse(19.99)).toBe('19.99');
    expect(decimalSchema.safeParse('x').success).toBe(false);
  });

  it('sums without float drift, to the last digit', () => {
    expect(sumDecimals(['0.1', '0.2'])).toBe('0.3');
    expect(sumDecimals(Array.from({ length: 1000 }, () => '0.01'))).toBe('10.00');
    expect(sumDecimals(['9007199254740993.125', '1'])).toBe('9007199254740994.125');
    expect(sumDecimals(['-5.5', '5.500'])).toBe('0.000');
    expect(sumDecimals([])).toBe('0');
  });

  it('rounds half away from zero and multiplies exactly', () => {
    expect(formatDecimal('1250.5', 2)).toBe('1250.50');
    expect(formatDecimal('2.345', 2)).toBe('2.35');
    expect(formatDecimal('-2.345', 2)).toBe('-2.35');
    expect(formatDecimal('-0.004', 2)).toBe('0.00');
    expect(multiplyDecimals('2.5', '19.99')).toBe('49.975');
    expect(toScaled('1.005', 2)).toBe(101n);
    expect(fromScaled(-5n, 3)).toBe('-0.005');
  });

  it('compares and canonicalises regardless of spelling', () => {
    expect(compareDecimals('1.50', '1.5')).toBe(0);
    expect(compareDecimals('-1', '0.001')).toBe(-1);
    expect(compareDecimals('100', '99.999')).toBe(1);
    expect(canonicalDecimal('007.50')).toBe('7.5');
    expect(canonicalDecimal('-0.00')).toBe('0');
    expect(canonicalDecimal('10')).toBe('10');
  });
});
