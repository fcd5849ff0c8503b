import { MissingReferenceError } from '../../activities/flows/types';
import { type RosterEntry } from '../../db/roster-entries';
import { type PeopleSoftAsanaConfig } from './config';

/** The connection's roster as the document flows read it: entries by the OPRID PeopleSoft links to the employee. */
export interface RosterIndex {
  byOprid: ReadonlyMap<string, RosterEntry>;
}

export function indexRoster(entries: readonly RosterEntry[]): RosterIndex {
  return { byOprid: new Map(entries.filter((e) => e.oprid).map((e) => [e.oprid!, e])) };
}

/** How a task got its assignee: kept in the payload (so a change re-writes the task) and in the audit row. */
export type Assignment =
  | { via: 'approvers-map'; approver: string }
  | { via: 'roster'; approver: string; emplid: string; email: string | null }
  | { via: 'fallback'; approver: string | null; reason: string }
  | { via: 'none'; approver: string | null; reason: string };

/**
 * Who is asked to approve a document. Without a roster (flows.roster off): the `approvers` map, or nobody. With one:
 * the `approvers` map as an override, then OPRID -> roster entry (EMPLID, email) -> Asana user; an approver without an
 * Asana account, who has left, or who is not in the roster gives the document to the business unit's fallback
 * approver, and the reason goes to the audit trail. A pending document with neither waits (MissingReferenceError,
 * the reason shown in status) instead of becoming an unassigned task; a decided one needs nobody.
 */
export function assignApprover(
  config: PeopleSoftAsanaConfig,
  roster: RosterIndex | undefined,
  doc: { businessUnit: string; approver: string | undefined; pending: boolean },
): { assignee: string | null; assignment?: Assignment } {
  const { approver, businessUnit } = doc;
  const override = approver ? config.approvers[approver] : undefined;
  if (!roster) return { assignee: override ?? null };
  if (approver && override) return { assignee: override, assignment: { via: 'approvers-map', approver } };
  const entry = approver ? roster.byOprid.get(approver) : undefined;
  if (approver && entry?.status === 'matched' && entry.asana_user_gid) {
    return { assignee: entry.asana_user_gid, assignment: { via: 'roster', approver, emplid: entry.emplid, email: entry.email } };
  }
  const reason = !approver
    ? `the document names no approver and business unit ${businessUnit} has none in businessUnitApprovers`
    : !entry
      ? `approver ${approver} is not in the roster (no PeopleSoft employee is linked to that OPRID)`
      : entry.status === 'inactive'
        ? `approver ${approver} (employee ${entry.emplid}) has left: EMPL_STATUS ${entry.empl_status ?? '?'}`
        : `approver ${approver} (employee ${entry.emplid}) has no Asana account for ${entry.email ?? 'an empty EMAILID'}`;
  const fallback = config.fallbackApprovers[businessUnit];
  if (fallback) return { assignee: fallback, assignment: { via: 'fallback', approver: approver ?? null, reason } };
  if (!doc.pending) return { assignee: null, assignment: { via: 'none', approver: approver ?? null, reason } };
  throw new MissingReferenceError(`Asana assignee for ${approver ?? `business unit ${businessUnit}`} (no fallback approver for ${businessUnit})`, reason);
}
