/**
 * Which side wins when a record of a bidirectional entity changed on both sides since the last sync. Declared per
 * flow; both flows of an entity should name the same winner (A->B 'source-wins' is B->A 'target-wins').
 * - 'source-wins' / 'target-wins': the side this flow reads from / writes to.
 * - { financialFieldsWin, fields, otherwise }: when the two versions disagree on one of `fields`, the system named
 *   `financialFieldsWin` wins (its whole version); when they disagree only on other fields, `otherwise` decides.
 * Resolution is per record, not a field merge: the winner's version is written to the other side.
 */
export type ConflictRule =
  | 'source-wins'
  | 'target-wins'
  | { financialFieldsWin: string; fields: string[]; otherwise: 'source-wins' | 'target-wins' };

/** The system whose financial fields win by default. */
export const DEFAULT_FINANCIAL_SYSTEM = 'peoplesoft';

export interface ConflictSides {
  sourceSystem: string;
  targetSystem: string;
  /** Side-neutral (canonical) forms of the record as each side holds it now. */
  source: Record<string, unknown>;
  target: Record<string, unknown>;
}

export interface ConflictDecision {
  winner: 'source' | 'target';
  /** Why, in words, for the audit trail. */
  reason: string;
  /** Canonical fields on which the two sides disagree. */
  differing: string[];
}

/** The default rule when a flow declares none: PeopleSoft wins for financial fields, otherwise the source. */
export function defaultConflictRule(financialFields: string[]): ConflictRule {
  return { financialFieldsWin: DEFAULT_FINANCIAL_SYSTEM, fields: financialFields, otherwise: 'source-wins' };
}

export function decideConflict(rule: ConflictRule, sides: ConflictSides): ConflictDecision {
  const keys = new Set([...Object.keys(sides.source), ...Object.keys(sides.target)]);
  const differing = [...keys].filter((k) => JSON.stringify(sides.source[k]) !== JSON.stringify(sides.target[k])).sort();
  if (rule === 'source-wins') return { winner: 'source', reason: `rule source-wins: ${sides.sourceSystem} wins`, differing };
  if (rule === 'target-wins') return { winner: 'target', reason: `rule target-wins: ${sides.targetSystem} wins`, differing };
  const financial = differing.filter((k) => rule.fields.includes(k));
  if (financial.length > 0) {
    const winner = rule.financialFieldsWin === sides.sourceSystem ? 'source' : rule.financialFieldsWin === sides.targetSystem ? 'target' : undefined;
    if (winner) return { winner, reason: `financial fields ${financial.join(', ')} differ: ${rule.financialFieldsWin} wins`, differing };
  }
  const winner = rule.otherwise === 'source-wins' ? 'source' : 'target';
  return { winner, reason: `no financial field of ${rule.financialFieldsWin} differs: ${rule.otherwise}`, differing };
}

/** Names the field and what to fix, for validators (API, updateConfig). */
export function validateConflictRule(flow: string, rule: unknown): void {
  if (rule === undefined || rule === 'source-wins' || rule === 'target-wins') return;
  const r = rule as Partial<Extract<ConflictRule, object>>;
  const ok =
    typeof rule === 'object' && rule !== null && typeof r.financialFieldsWin === 'string' && Array.isArray(r.fields) && r.fields.every((f) => typeof f === 'string') && (r.otherwise === 'source-wins' || r.otherwise === 'target-wins');
  if (!ok) throw new Error(`flow ${flow}: conflictRule must be 'source-wins', 'target-wins' or { financialFieldsWin: <system>, fields: [<field>...], otherwise: 'source-wins' | 'target-wins' }`);
}
