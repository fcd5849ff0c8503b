import { getAt, LASTMODTIME, simResources, type SimResource } from './resources';
import type { StoredDoc } from './store';

/**
 * `flt=KEY==value;KEY2>=value` (Crown-Commercial-Service/ccs-scale-cat-service application.yml: `TYPE==SELLER;
 * BRAVOID==...`, `LASTMODTIME>=...`). LASTMODTIME takes ISO-8601 or yyyyMMddHHmmss (JAGGAER Advanced's compact form,
 * parsed by UCLA's client). A filter we cannot read is a returnCode error, like other request errors.
 */
export interface FilterTerm {
  key: string;
  op: '==' | '>=' | '<=';
  value: string;
}

export class FilterError extends Error {}

export function parseFilter(resource: SimResource, flt: unknown): FilterTerm[] {
  if (flt === undefined || flt === '') return [];
  if (typeof flt !== 'string') throw new FilterError('Invalid parameter flt');
  return flt.split(';').filter(Boolean).map((term) => {
    const m = /^([A-Za-z][\w.]*)(==|>=|<=)(.*)$/.exec(term);
    if (!m) throw new FilterError(`Invalid filter expression: ${term}`);
    const key = m[1]!.toUpperCase();
    if (key !== LASTMODTIME && !(key in simResources[resource].filters)) throw new FilterError(`Invalid filter key: ${m[1]}`);
    if (key === LASTMODTIME && parseFilterDate(m[3]!) === undefined) throw new FilterError(`Invalid date for ${LASTMODTIME}: ${m[3]}`);
    return { key, op: m[2] as FilterTerm['op'], value: m[3]! };
  });
}

export function parseFilterDate(value: string): number | undefined {
  const compact = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(value);
  if (compact) return Date.UTC(+compact[1]!, +compact[2]! - 1, +compact[3]!, +compact[4]!, +compact[5]!, +compact[6]!);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

export function matches(resource: SimResource, d: StoredDoc, terms: FilterTerm[]): boolean {
  return terms.every(({ key, op, value }) => {
    if (key === LASTMODTIME) {
      const at = parseFilterDate(value)!;
      return op === '>=' ? d.modifiedMs >= at : op === '<=' ? d.modifiedMs <= at : d.modifiedMs === at;
    }
    const actual = getAt(d.doc, simResources[resource].filters[key]!);
    const text = actual === undefined || actual === null ? '' : String(actual);
    return op === '==' ? text === value : op === '>=' ? text >= value : text <= value;
  });
}
