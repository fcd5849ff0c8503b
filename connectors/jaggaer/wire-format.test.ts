import { parseDecimal as decimalText } from '../../core/decimal';
import { JsonDecimal, stringifyWithDecimals } from './decimal-json';
import { buildFilter, formatFilterDate } from './flt';
import { resolveProvider, defaultJaggaerProvider } from './provider';

/** What goes on the wire to JAGGAER, without a server: flt expressions, filter dates, money as number literals. */
describe('JAGGAER wire format', () => {
  it('writes LASTMODTIME dates as ISO seconds or the compact yyyyMMddHHmmss form', () => {
    const at = new Date('2026-11-30T16:05:09.750Z');
    expect(formatFilterDate(at, 'iso')).toBe('2026-11-30T16:05:09Z');
    expect(formatFilterDate(at, 'compact')).toBe('20261130160509');
  });

  it('joins filter terms with the separator and refuses values flt cannot express', () => {
    expect(buildFilter([{ key: 'LASTMODTIME', op: '>=', value: '20261130160509' }, { key: 'TYPE', op: '==', value: 'SELLER' }], ';')).toBe('LASTMODTIME>=20261130160509;TYPE==SELLER');
    expect(buildFilter([], ';')).toBeUndefined();
    expect(() => buildFilter([{ key: 'EXTCODE', op: '==', value: 'A;B' }], ';')).toThrow('EXTCODE==: the value "A;B" contains ";"');
  });

  it('keeps money decimal both ways: numbers read as their text, decimal strings written digit for digit', () => {
    expect(decimalText(6670.13)).toBe('6670.13');
    expect(decimalText('12.50')).toBe('12.50');
    expect(decimalText(1e21)).toBeUndefined();
    expect(decimalText('1,50')).toBeUndefined();
    const json = stringifyWithDecimals({ total: { value: new JsonDecimal('12345678901234567.89') }, note: 'dec:1' });
    expect(json).toBe('{"total":{"value":12345678901234567.89},"note":"dec:1"}');
    expect(() => new JsonDecimal('1e5')).toThrow('not a decimal amount');
  });

  it('merges a connection override into the defaults key by key', () => {
    const p = resolveProvider({ filter: { dateFormat: 'compact' }, resources: { invoices: { fields: { poNumber: 'header.poRef' } } } });
    expect(p.filter).toEqual({ ...defaultJaggaerProvider.filter, dateFormat: 'compact' });
    expect(p.resources.invoices.fields).toEqual({ ...defaultJaggaerProvider.resources.invoices.fields, poNumber: 'header.poRef' });
    expect(p.resources.suppliers).toEqual(defaultJaggaerProvider.resources.suppliers);
    expect(() => resolveProvider({ resources: { invoices: { create: { bodyKey: 'x' } } } })).toThrow('provider.resources.invoices');
  });
});
