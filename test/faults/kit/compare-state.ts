import { type PartnerRecord, type RecordState } from './fault-fixture';

/** How the partner's final state differs from the expected one, record by record. Pure. */
export interface StateComparison {
  /** Expected records looked at. */
  checked: number;
  /** Keys present more than once on the target. */
  duplicates: string[];
  /** Expected keys neither on the target nor in dead letters. */
  missing: string[];
  /** Keys on the target that the source does not have. */
  unexpected: string[];
  /** Keys both on the target and in dead letters (a dead letter for a record that did sync). */
  syncedAndDeadLettered: string[];
  /** Field differences, `key field: expected X, got Y`. */
  wrong: string[];
  /** Target records whose id is not the one our record link holds. */
  unlinked: string[];
  synced: number;
  deadLettered: number;
}

export function compareState(
  expected: RecordState[],
  actual: PartnerRecord[],
  deadLetterKeys: ReadonlySet<string>,
  links: ReadonlyMap<string, string>,
): StateComparison {
  const byKey = new Map<string, PartnerRecord[]>();
  for (const r of actual) byKey.set(r.key, [...(byKey.get(r.key) ?? []), r]);
  const expectedKeys = new Set(expected.map((e) => e.key));
  const out: StateComparison = { checked: expected.length, duplicates: [], missing: [], unexpected: [], syncedAndDeadLettered: [], wrong: [], unlinked: [], synced: 0, deadLettered: 0 };
  for (const [key, list] of byKey) {
    if (list.length > 1) out.duplicates.push(key);
    if (!expectedKeys.has(key)) out.unexpected.push(key);
  }
  for (const e of expected) {
    const found = byKey.get(e.key);
    const dead = deadLetterKeys.has(e.key);
    if (!found) {
      if (dead) out.deadLettered += 1;
      else out.missing.push(e.key);
      continue;
    }
    if (dead) out.syncedAndDeadLettered.push(e.key);
    out.synced += 1;
    const got = found[0]!;
    for (const [field, want] of Object.entries(e.fields)) {
      const have = got.fields[field] ?? null;
      if (have !== want) out.wrong.push(`${e.key} ${field}: expected ${JSON.stringify(want)}, got ${JSON.stringify(have)}`);
    }
    if (found.length === 1 && links.get(e.key) !== got.targetId) out.unlinked.push(`${e.key}: target ${got.targetId}, link ${links.get(e.key) ?? 'none'}`);
  }
  return out;
}

/** True when the state is exact: every record once, right, linked, and none both synced and dead-lettered. */
export function isExact(c: StateComparison): boolean {
  return c.duplicates.length + c.missing.length + c.unexpected.length + c.syncedAndDeadLettered.length + c.wrong.length + c.unlinked.length === 0;
}

/**
 * A decimal as text without a float: `1234.50`, `1234.5` and the number 1234.5 all read `1234.5`. Partners answer
 * amounts as JSON numbers (Asana number fields) or strings; comparing their canonical text keeps cents exact.
 */
export function canonicalDecimal(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  const text = typeof value === 'number' ? String(value) : String(value).trim();
  const m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m) return text;
  const int = (m[2] ?? '').replace(/^0+(?=\d)/, '') || '0';
  const frac = (m[3] ?? '').replace(/0+$/, '');
  const sign = m[1] && (int !== '0' || frac !== '') ? '-' : '';
  return frac ? `${sign}${int}.${frac}` : `${sign}${int}`;
}
