import type { JaggaerProvider } from './provider-schema';

/**
 * JAGGAER's filter DSL: `flt=KEY==value;KEY2>=value` (Crown-Commercial-Service/ccs-scale-cat-service application.yml,
 * e.g. `TYPE==SELLER;BRAVOID==...`, `LASTMODTIME>=...`). No escaping is documented, so a value holding the
 * separator or an operator is refused rather than sent to mean something else.
 */
export interface FilterTerm {
  key: string;
  op: '==' | '>=' | '<=';
  value: string;
}

export function formatFilterDate(date: Date, format: JaggaerProvider['filter']['dateFormat']): string {
  const iso = date.toISOString();
  if (format === 'iso') return iso.replace(/\.\d{3}Z$/, 'Z');
  return iso.slice(0, 19).replace(/[-:T]/g, '');
}

export function buildFilter(terms: FilterTerm[], separator: string): string | undefined {
  if (terms.length === 0) return undefined;
  return terms
    .map(({ key, op, value }) => {
      if (value.includes(separator) || /[=<>]=/.test(value)) {
        throw new Error(`JAGGAER filter ${key}${op}: the value ${JSON.stringify(value)} contains "${separator}" or an operator, which flt cannot express`);
      }
      return `${key}${op}${value}`;
    })
    .join(separator);
}
