import { type SyncStatus } from '../core/sync-types';
import { type PollLedger } from '../db/poll-ledgers';

/**
 * A connection's status as the API shows it: the workflow's answer, plus the idle polls it has not heard of yet. Idle
 * polls end in a retry, not in a result, so the workflow counts them only when a poll next returns; until then they
 * are in the poll ledger, with the time of the latest and of the next one.
 */
export function withIdlePolls(status: SyncStatus, ledger: PollLedger | undefined): SyncStatus {
  if (!ledger) return status;
  const idleAt = ledger.last_poll_at?.toISOString();
  return {
    ...status,
    totals: { ...status.totals, polls: status.totals.polls + ledger.unreported_polls },
    lastPollAt: idleAt && (!status.lastPollAt || idleAt > status.lastPollAt) ? idleAt : status.lastPollAt,
    // Set by the latest poll under the same schedule; after a schedule change the workflow's own time holds.
    nextPollAt: !status.paused && ledger.schedule === status.schedule && ledger.next_poll_at ? ledger.next_poll_at.toISOString() : status.nextPollAt,
  };
}
