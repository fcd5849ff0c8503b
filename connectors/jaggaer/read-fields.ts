import { parseDecimal } from '../../core/decimal';
import { getPath } from './field-paths';

/**
 * Reads one partner document into our flat model through a provider field table, with a clear problem (naming the
 * field, where it was looked for and what to change) instead of a silently empty value.
 */
export type FieldKind = 'id' | 'text' | 'decimal' | 'date';
export interface FieldRule {
  kind: FieldKind;
  required: boolean;
}

export class FieldProblem extends Error {
  constructor(
    readonly field: string,
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = 'FieldProblem';
  }
}

function coerce(kind: FieldKind, value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  switch (kind) {
    case 'id':
      // Ids come as numbers (invoiceId 2428601) or strings; strings keep ids past 2^53 exact.
      if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
      return typeof value === 'string' ? value : undefined;
    case 'text':
      return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
    case 'decimal':
      // Decimal text via core/decimal.ts: JAGGAER's JSON numbers never become floats in our model.
      return parseDecimal(value);
    case 'date': {
      if (typeof value !== 'string') return undefined;
      const ms = Date.parse(value);
      return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
    }
  }
}

export function readFields<K extends string>(
  entity: string,
  doc: unknown,
  paths: Record<K, string>,
  rules: Record<K, FieldRule>,
  overrideHint: string,
): Record<K, string | undefined> {
  const out = {} as Record<K, string | undefined>;
  for (const field of Object.keys(rules) as K[]) {
    const { kind, required } = rules[field];
    const path = paths[field];
    const raw = getPath(doc, path);
    const value = coerce(kind, raw);
    if (value === undefined && raw !== undefined && raw !== null && raw !== '') {
      throw new FieldProblem(field, path, `JAGGAER ${entity} ${field} at ${path} is ${JSON.stringify(raw)}, not a ${kind === 'decimal' ? 'decimal amount' : kind}`);
    }
    if (value === undefined && required) {
      throw new FieldProblem(field, path, `JAGGAER ${entity} has no ${field} at ${path}: if this instance puts it elsewhere, set ${overrideHint}.fields.${field} in the connection's provider config`);
    }
    out[field] = value;
  }
  return out;
}
