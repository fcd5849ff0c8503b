import { type CiDef, type CiField, type CiMethod, getKeyElement } from './ci-definitions';
import { noRowsExist, rowAlreadyExists } from './errors';
import { type PsStore } from './store';
import { type FieldValue, type Row } from './tables';

/** A CI refusing a call: the gateway returns it as an IBResponse error (not a transport failure). */
export class CiError extends Error {}

type Payload = Record<string, unknown>;

function scalar(value: unknown, field: CiField): string | number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object' && '$value' in (value as object)) return scalar((value as { $value: unknown }).$value, field);
  if (field.type === 'decimal' || field.type === 'integer') {
    const n = Number(value);
    if (!Number.isFinite(n)) throw new CiError(`Invalid value for ${field.name}: ${String(value)}. Numeric value expected.`);
    return n;
  }
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  throw new CiError(`Invalid value for ${field.name}.`);
}

const asArray = (value: unknown): Payload[] => (value === undefined || value === null ? [] : Array.isArray(value) ? (value as Payload[]) : [value as Payload]);

function pickFields(payload: Payload, fields: CiField[], def: CiDef): Row {
  const row: Row = {};
  for (const f of fields) {
    const v = scalar(payload[f.name], f);
    if (v === undefined) continue;
    const allowed = def.allowed?.[f.name];
    // Translate-table edit: PeopleSoft refuses a value outside the field's translate values.
    if (allowed && !allowed.includes(String(v))) throw new CiError(`Invalid value for ${f.name}: ${String(v)}. {${def.ci}}`);
    row[f.name] = v;
  }
  return row;
}

function keysOf(payload: Payload, def: CiDef, elementName: (f: string) => string = (f) => f): Record<string, string | number> {
  const keys: Record<string, string | number> = {};
  for (const k of def.keys) {
    const v = scalar(payload[elementName(k.name)], k);
    if (v === undefined) throw new CiError(`Required key ${k.name} is missing. {${def.ci}}`);
    keys[k.name] = v;
  }
  return keys;
}

/** Journal lines live as one JRNL_LN row per line; every other CI maps onto one row with an optional child scroll. */
function load(store: PsStore, def: CiDef, keys: Record<string, string | number>): Row | undefined {
  if (def.table !== 'journalLine') return store.get(def.table, keys);
  const lines = store
    .all('journalLine')
    .filter((r) => r.BUSINESS_UNIT === keys.BUSINESS_UNIT && r.JOURNAL_ID === keys.JOURNAL_ID && r.JOURNAL_DATE === keys.JOURNAL_DATE)
    .sort((a, b) => Number(a.JOURNAL_LINE) - Number(b.JOURNAL_LINE));
  const first = lines[0];
  if (!first) return undefined;
  return { ...keys, LEDGER: first.LEDGER ?? '', JRNL_LN: lines };
}

function insert(store: PsStore, def: CiDef, row: Row): void {
  if (def.table !== 'journalLine') {
    store.insert(def.table, def.child ? { ...row, [def.child.name]: row[def.child.name] ?? [] } : row);
    return;
  }
  const { JRNL_LN: lines, ...header } = row;
  for (const line of Array.isArray(lines) ? lines : []) store.insert('journalLine', { ...header, UNPOST_SEQ: 0, ...line });
}

function toResponse(def: CiDef, row: Row, method: CiMethod): Row {
  const out: Row = {};
  const fields = method === 'Get' ? [...def.keys, ...def.props, ...def.readOnly] : def.keys;
  for (const f of fields) {
    const v = row[f.name];
    if (v !== undefined && !Array.isArray(v)) out[f.name] = v;
  }
  if (method === 'Get' && def.child) {
    const childRows = row[def.child.name];
    const fields = def.child.fields;
    out[def.child.name] = (Array.isArray(childRows) ? childRows : []).map((c) => Object.fromEntries(fields.filter((f) => c[f.name] !== undefined).map((f) => [f.name, c[f.name] as FieldValue])));
  }
  return out;
}

/**
 * The prompt-table edit PeopleSoft runs when a CI sets a field with a prompt: a value with no row behind it fails with
 * "Invalid value -- press the prompt button or hyperlink for a list of valid values (15,11)"
 * (https://docs.oracle.com/cd/F44947_01/pt858pbr3/eng/pt/tcpi/task_ReceivingResponses-076b29.html).
 */
function checkPrompts(store: PsStore, def: CiDef, row: Row): void {
  for (const [field, prompt] of Object.entries(def.prompts ?? {})) {
    const rows = [row, ...(def.child && Array.isArray(row[def.child.name]) ? (row[def.child.name] as Row[]) : [])];
    for (const r of rows) {
      const value = r[field];
      if (value === undefined || Array.isArray(value)) continue;
      if (!store.all(prompt.table).some((t) => String(t[prompt.field]) === String(value))) {
        throw new CiError(`${field}: Invalid value -- press the prompt button or hyperlink for a list of valid values (15,11) {${def.ci}} ${field}=${String(value)}`);
      }
    }
  }
}

export interface CiCallResult {
  response: Row;
  effect?: { method: 'Create' | 'Update'; keys: Record<string, string | number>; fields: Row };
}

/** Runs one CI method against the store, with the CI's own edits (keys, translate values, duplicate keys). */
export function runCi(store: PsStore, def: CiDef, method: CiMethod, payload: Payload): CiCallResult {
  if (method === 'Get') {
    const keys = keysOf(payload, def, getKeyElement);
    const row = load(store, def, keys);
    if (!row) throw new CiError(noRowsExist(def.ci));
    return { response: toResponse(def, row, 'Get') };
  }
  const keys = keysOf(payload, def);
  const fields = pickFields(payload, def.props, def);
  if (method === 'Create') {
    if (load(store, def, keys)) throw new CiError(rowAlreadyExists(def.ci));
    const row: Row = { ...keys, ...fields };
    if (def.child) {
      const children = asArray(payload[def.child.name]).map((c) => pickFields(c, def.child?.fields ?? [], def));
      if (children.length === 0) throw new CiError(`At least one ${def.child.name} row is required. {${def.ci}}`);
      row[def.child.name] = children;
    }
    checkPrompts(store, def, row);
    if (def.table === 'purchaseOrder') row.PO_STATUS = 'I';
    // A voucher entered through the CI is Recorded and waits for approval (VOUCHER.ENTRY_STATUS / APPR_STATUS).
    if (def.table === 'voucher') Object.assign(row, { ENTRY_STATUS: 'R', APPR_STATUS: 'P' });
    insert(store, def, row);
    return { response: toResponse(def, row, 'Create'), effect: { method: 'Create', keys, fields: row } };
  }
  const updated = store.update(def.table, keys, fields);
  if (!updated) throw new CiError(noRowsExist(def.ci));
  return { response: toResponse(def, updated, 'Update'), effect: { method: 'Update', keys, fields } };
}
