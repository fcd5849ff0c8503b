import { MappingError } from '../../activities/flows/types';
import type { JournalInput } from '../../connectors/peoplesoft';
import { canonicalDecimal, compareDecimals, sumDecimals } from '../../core/decimal';
import { journalIdOf } from './map-costs';

type JournalLine = JournalInput['JRNL_LN'][number];

/**
 * What a cost has posted to PeopleSoft so far, kept in its record link's target id (the link moves only after a
 * journal is accepted, so it is never ahead of PeopleSoft): `<BU>/<journal>[,<journal>...]|<ACCOUNT>=<net>;...`, the
 * journals in posting order and the net amount per ACCOUNT over all of them (DEPTID and PROJECT_ID are the project's).
 * A PeopleSoft journal is never edited after posting: an edit of the cost in Procore posts a correcting journal of the
 * difference per ACCOUNT.
 */
export interface Posted {
  businessUnit: string;
  journals: string[];
  net: Map<string, string>;
}

export function postedTarget(p: Posted): string {
  const net = [...p.net.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([acct, amt]) => `${acct}=${amt}`);
  return `${p.businessUnit}/${p.journals.join(',')}|${net.join(';')}`;
}

/** A link written before corrections were tracked: `<BU>/<journal>` (its lines are read back from PeopleSoft). */
export function legacyTarget(targetId: string): { businessUnit: string; journalId: string } | undefined {
  const m = /^([^/|]+)\/([0-9A-Z]+)$/.exec(targetId);
  return m ? { businessUnit: m[1]!, journalId: m[2]! } : undefined;
}

export function parsePosted(targetId: string, what: string): Posted {
  const m = /^([^/|]+)\/([0-9A-Z,]+)\|(.*)$/.exec(targetId);
  if (!m) throw new MappingError(`${what}: its link (${targetId}) does not say what was posted: post the difference by hand, then replay`);
  const net = new Map<string, string>();
  for (const part of m[3]!.split(';').filter(Boolean)) {
    const [acct, amt] = part.split('=');
    if (!acct || amt === undefined) throw new MappingError(`${what}: unreadable posted state "${part}" in its link`);
    net.set(acct, amt);
  }
  return { businessUnit: m[1]!, journals: m[2]!.split(','), net };
}

/** Net amount per ACCOUNT of journal lines, as canonical decimal text (zero sums kept out). */
export function netByAccount(lines: readonly JournalLine[]): Map<string, string> {
  const by = new Map<string, string[]>();
  for (const l of lines) by.set(l.ACCOUNT, [...(by.get(l.ACCOUNT) ?? []), String(l.MONETARY_AMOUNT)]);
  const out = new Map<string, string>();
  for (const [acct, amts] of by) {
    const sum = canonicalDecimal(sumDecimals(amts));
    if (compareDecimals(sum, '0') !== 0) out.set(acct, sum);
  }
  return out;
}

/** The state after posting `journal` as a cost's first journal. */
export const firstPosting = (journal: JournalInput): Posted => ({ businessUnit: journal.BUSINESS_UNIT, journals: [journal.JOURNAL_ID], net: netByAccount(journal.JRNL_LN) });

/**
 * The journal that brings PeopleSoft from `posted` to `wanted` (the cost's journal as it would be posted today): one
 * line per ACCOUNT whose net differs, the difference as its amount. JOURNAL_ID is fixed by the cost, the journals
 * posted before and the new content, so a retry after a crash (PeopleSoft has it, our link does not yet) is "already
 * applied", and going back to an earlier content later is a new journal, not a clash. Undefined when nothing differs.
 */
export function correctionOf(kind: 'D' | 'C', companyId: string, projectId: string, costId: string, posted: Posted, wanted: JournalInput, updatedAt: string): { journal: JournalInput; next: Posted } | undefined {
  const target = netByAccount(wanted.JRNL_LN);
  const accounts = [...new Set([...posted.net.keys(), ...target.keys()])].sort();
  const template = wanted.JRNL_LN[0]!;
  const lines: JournalLine[] = [];
  for (const acct of accounts) {
    const delta = canonicalDecimal(sumDecimals([target.get(acct) ?? '0', negate(posted.net.get(acct) ?? '0')]));
    if (compareDecimals(delta, '0') === 0) continue;
    lines.push({ JOURNAL_LINE: lines.length + 1, ACCOUNT: acct, DEPTID: template.DEPTID, PROJECT_ID: template.PROJECT_ID, MONETARY_AMOUNT: delta, TXN_CURRENCY_CD: template.TXN_CURRENCY_CD, LINE_DESCR: `Correction of ${posted.journals[0]}`.slice(0, 30) });
  }
  if (lines.length === 0) return undefined;
  const content = [...target.entries()].map(([a, v]) => `${a}=${v}`).join(';');
  const journalId = journalIdOf(kind, companyId, projectId, `${costId}~${posted.journals.join(',')}~${content}`);
  const journal: JournalInput = { BUSINESS_UNIT: posted.businessUnit, JOURNAL_ID: journalId, JOURNAL_DATE: updatedAt.slice(0, 10), LEDGER: wanted.LEDGER, JRNL_LN: lines };
  return { journal, next: { businessUnit: posted.businessUnit, journals: [...posted.journals, journalId], net: target } };
}

export const negate = (amount: string) => (amount.startsWith('-') ? amount.slice(1) : amount === '0' ? amount : `-${amount}`);
