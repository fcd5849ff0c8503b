import { canonicalDecimal, parseDecimal } from '../../core/decimal';
import { isPartnerError, PartnerError } from '../../core/partner-error';
import { type ComponentInterfaceName, ciKeys, ciOperation } from './component-interfaces';
import { PARTNER } from './recognize-error';
import { type PeopleSoftSoapCaller } from './soap-client';

export type Scalar = string | number;
export type CiPayload = Record<string, Scalar | Array<Record<string, Scalar | undefined>> | undefined>;

/** What a write did. 'already_applied': PeopleSoft already holds exactly this (a retry after a lost answer). */
export interface WriteResult {
  outcome: 'created' | 'updated' | 'already_applied';
  keys: Record<string, string>;
}

const asArray = (v: unknown): Record<string, unknown>[] => (v === undefined || v === null ? [] : Array.isArray(v) ? (v as Record<string, unknown>[]) : [v as Record<string, unknown>]);

/** node-soap types values from the WSDL (xsd:date becomes a Date, xsd:decimal a number); compare on one footing. */
function normalize(v: unknown): string {
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  const decimal = parseDecimal(v);
  if (decimal !== undefined) return canonicalDecimal(decimal);
  const s = String(v ?? '').trim();
  return /^\d{4}-\d{2}-\d{2}/.test(s) ? s.slice(0, 10) : s;
}

/** Every field we would write has the same value in PeopleSoft (child rows matched by their first field, the line number). */
export function sameAsWritten(intended: CiPayload, actual: Record<string, unknown>): boolean {
  return Object.entries(intended).every(([field, value]) => {
    if (value === undefined) return true;
    if (!Array.isArray(value)) return normalize(value) === normalize(actual[field]);
    const existing = asArray(actual[field]);
    if (existing.length !== value.length) return false;
    return value.every((child) => {
      const lineField = Object.keys(child)[0];
      const match = existing.find((e) => lineField !== undefined && normalize(e[lineField]) === normalize(child[lineField]));
      return match !== undefined && Object.entries(child).every(([f, v]) => v === undefined || normalize(v) === normalize(match[f]));
    });
  });
}

export function keysOf(ci: ComponentInterfaceName, payload: CiPayload): Record<string, string> {
  return Object.fromEntries(ciKeys[ci].map((k) => [k, String(payload[k] ?? '')]));
}

/** Get by key (`KEYPROP_<key>` elements); undefined when PeopleSoft has no such row. */
export async function getByKeys(soap: PeopleSoftSoapCaller, ci: ComponentInterfaceName, keys: Record<string, string>): Promise<Record<string, unknown> | undefined> {
  try {
    const result = await soap.call(ci, 'Get', Object.fromEntries(Object.entries(keys).map(([k, v]) => [`KEYPROP_${k}`, v])));
    return (result ?? {}) as Record<string, unknown>;
  } catch (err) {
    if (isPartnerError(err) && err.code === 'PS_NO_ROWS') return undefined;
    throw err;
  }
}

/**
 * Create through the CI. PeopleSoft offers no idempotency key, but a Create on an existing natural key fails with
 * (91,49) "Row already exists with the specified keys"
 * (https://docs.oracle.com/cd/F44947_01/pt858pbr3/eng/pt/tcpi/task_ReceivingResponses-076b29.html): then a Get
 * decides whether it is our own earlier write (already applied) or somebody else's different record (conflict).
 */
export async function createOnce(
  soap: PeopleSoftSoapCaller,
  ci: ComponentInterfaceName,
  payload: CiPayload,
  onDifferent?: (existing: Record<string, unknown>) => Promise<WriteResult>,
): Promise<WriteResult> {
  const keys = keysOf(ci, payload);
  try {
    await soap.call(ci, 'Create', payload);
    return { outcome: 'created', keys };
  } catch (err) {
    if (!isPartnerError(err) || err.code !== 'PS_DUPLICATE_KEY') throw err;
    const existing = await getByKeys(soap, ci, keys);
    if (existing && sameAsWritten(payload, existing)) return { outcome: 'already_applied', keys };
    if (existing && onDifferent) return onDifferent(existing);
    throw new PartnerError(`PeopleSoft ${ciOperation(ci, 'Create')}: ${JSON.stringify(keys)} already exists with different data`, {
      partner: PARTNER,
      operation: ciOperation(ci, 'Create'),
      status: err.status,
      rawBody: err.rawBody,
      decision: { retry: false, reason: 'natural key taken by a different record' },
      code: 'PS_DUPLICATE_CONFLICT',
      hint: `A ${ci} record with keys ${Object.values(keys).join('/')} already exists in PeopleSoft with different values. Check whether it was entered by hand, then link or renumber it.`,
    });
  }
}
