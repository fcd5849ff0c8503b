import { peopleSoftObjects, type PeopleSoftObject } from './objects';

/**
 * Our record keys for PeopleSoft rows, shared by every pair that reads or writes PeopleSoft: `<kind>:<key fields
 * joined by />`, e.g. `voucher:US001/00012345`, `requisition:US001/0000000012`, `vendor:SHARE/0000000042`. They are
 * what a target stores as our external key (so a lost create can be found again) and what the audit trail shows.
 * The key fields per object are the object's PeopleSoft keys (objects.ts).
 */
export type RecordKind = PeopleSoftObject;

/** The id field(s) of each object, after the business unit / setid: `VOUCHER_ID` for a voucher, `REQ_ID` for a requisition. */
export function idFields(kind: RecordKind): readonly string[] {
  return peopleSoftObjects[kind].keys.slice(1);
}

/** `voucher:US001/00012345` from the object's key values in key order (business unit or setid first). */
export function recordKey(kind: RecordKind, ...keys: string[]): string {
  return `${kind}:${keys.join('/')}`;
}

/** The key of a row, read from the object's key fields. */
export function rowRecordKey(kind: RecordKind, row: Record<string, unknown>): string {
  return recordKey(kind, ...peopleSoftObjects[kind].keys.map((k) => String(row[k] ?? '')));
}

/** The inverse of recordKey, for the kinds given; undefined when `key` is not one of ours or has the wrong arity. */
export function parseRecordKey<K extends RecordKind>(key: string, kinds: readonly K[]): { kind: K; keys: string[] } | undefined {
  const colon = key.indexOf(':');
  if (colon <= 0) return undefined;
  const kind = key.slice(0, colon) as K;
  if (!kinds.includes(kind)) return undefined;
  const arity = peopleSoftObjects[kind].keys.length;
  // The last key may itself contain '/': split off the leading keys only.
  const parts = key.slice(colon + 1).split('/');
  if (parts.length < arity || parts.slice(0, arity).some((p) => p === '')) return undefined;
  const keys = [...parts.slice(0, arity - 1), parts.slice(arity - 1).join('/')];
  return keys.some((k) => k === '') ? undefined : { kind, keys };
}
