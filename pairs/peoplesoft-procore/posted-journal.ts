import type { JournalInput } from '../../connectors/peoplesoft';
import { isPartnerError } from '../../core/partner-error';
import type { PairContext } from './context';
import { netByAccount, type Posted } from './cost-corrections';

const DAY_MS = 86_400_000;

/**
 * The first journal of a cost already in PeopleSoft with other lines than the cost's today: the webhook posted the
 * cost as it was, the cost was edited before a poll linked it, and the poll's Create of the same JOURNAL_ID is refused
 * (PS_DUPLICATE_CONFLICT). Its lines are read back through the journal inquiry (MLC_JOURNAL_GET, LASTUPDDTTM from a day
 * before the cost was created), so the poll posts the correction instead of dead-lettering the edit. Undefined when
 * the error is another one or the journal cannot be found (the error then stands).
 */
export async function postedBefore(pair: PairContext, err: unknown, journal: JournalInput, costCreatedAt: string): Promise<Posted | undefined> {
  if (!isPartnerError(err) || err.code !== 'PS_DUPLICATE_CONFLICT') return undefined;
  return readPosted(pair, journal.BUSINESS_UNIT, journal.JOURNAL_ID, costCreatedAt);
}

/**
 * One posted journal's net per ACCOUNT, read back through MLC_JOURNAL_GET from a day before `since` (the cost's
 * creation: its journal cannot be older). Also how a link written before corrections were tracked (`<BU>/<journal>`)
 * learns what it posted. Undefined when PeopleSoft has no line of it.
 */
export async function readPosted(pair: PairContext, businessUnit: string, journalId: string, since: string): Promise<Posted | undefined> {
  const from = Date.parse(since);
  if (Number.isNaN(from)) return undefined;
  const { rows } = await pair.peoplesoft.fetchChanged('journalLine', { from: new Date(from - DAY_MS), to: new Date(Date.now() + DAY_MS) });
  const lines = rows.filter((r) => r.JOURNAL_ID === journalId && r.BUSINESS_UNIT === businessUnit);
  if (lines.length === 0) return undefined;
  return { businessUnit, journals: [journalId], net: netByAccount(lines.map((l) => ({ JOURNAL_LINE: l.JOURNAL_LINE, ACCOUNT: l.ACCOUNT, MONETARY_AMOUNT: String(l.MONETARY_AMOUNT) }))) };
}
