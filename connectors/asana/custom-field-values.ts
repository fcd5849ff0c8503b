import { PartnerError } from '../../core/partner-error';
import { ASANA } from './provider';

/**
 * A customer's mapping of our logical fields onto Asana custom fields, and the encoding of values into Asana's write
 * format `{ "<field gid>": value }` (spec `TaskRequestBase.custom_fields`, asana_oas.yaml L8272-8290;
 * https://developers.asana.com/docs/custom-fields-guide): text = string (max 1,024), number = number,
 * enum = enum option GID (not the name, as the search docs insist), date = "YYYY-MM-DD", null clears.
 */
export type AsanaFieldType = 'text' | 'number' | 'enum' | 'date';

export interface CustomFieldMappingEntry {
  fieldGid: string;
  type: AsanaFieldType;
  /** enum only: our value (e.g. PeopleSoft status "A") -> Asana enum option GID. */
  enumOptions?: Record<string, string>;
}
export type CustomFieldMapping = Record<string, CustomFieldMappingEntry>;
export type CustomFieldWrite = Record<string, string | number | null>;

function invalid(logical: string, message: string): PartnerError {
  return new PartnerError(`asana custom field ${logical}: ${message}`, {
    partner: ASANA,
    operation: 'encode custom fields',
    decision: { retry: false, reason: 'value cannot be written to the mapped Asana field' },
    code: 'ASANA_FIELD_VALUE_INVALID',
    hint: 'Fix the field mapping or the source record, then replay the dead letter.',
  });
}

function toDate(logical: string, value: unknown): string {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString().slice(0, 10);
  if (typeof value === 'string') {
    const day = /^(\d{4}-\d{2}-\d{2})(T.*)?$/.exec(value)?.[1];
    if (day && !Number.isNaN(Date.parse(day))) return day;
  }
  throw invalid(logical, `expected a date (YYYY-MM-DD), got ${JSON.stringify(value)}`);
}

function toNumber(logical: string, value: unknown): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw invalid(logical, `expected a number, got ${JSON.stringify(value)}`);
  return n;
}

export function encodeCustomFieldValue(logical: string, entry: CustomFieldMappingEntry, value: unknown): string | number | null {
  if (value === null || value === undefined) return null;
  switch (entry.type) {
    case 'text': {
      const text = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
      if (text === undefined) throw invalid(logical, `expected text, got ${JSON.stringify(value)}`);
      if (text.length > 1024) throw invalid(logical, `text is ${text.length} characters; Asana allows 1024`);
      return text;
    }
    case 'number':
      return toNumber(logical, value);
    case 'date':
      return toDate(logical, value);
    case 'enum': {
      const key = String(value);
      const optionGid = entry.enumOptions?.[key];
      if (!optionGid) throw invalid(logical, `no Asana enum option is mapped for value ${JSON.stringify(key)}`);
      return optionGid;
    }
  }
}

/** Encodes every mapped logical field present in `values`; unmapped keys are ignored (they belong to other fields). */
export function encodeCustomFields(mapping: CustomFieldMapping, values: Record<string, unknown>): CustomFieldWrite {
  const out: CustomFieldWrite = {};
  for (const [logical, entry] of Object.entries(mapping)) {
    if (!(logical in values)) continue;
    out[entry.fieldGid] = encodeCustomFieldValue(logical, entry, values[logical]);
  }
  return out;
}
