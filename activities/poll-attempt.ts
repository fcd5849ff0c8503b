import { transientBackoffMs } from '../core/transient-retry';
import { type PollFlow, type PollRequest, type WindowOutcome } from '../core/sync-types';
import { type PollLedger, type VerifiedWindows } from '../db/poll-ledgers';

/**
 * The decisions of one poll attempt, pure so they can be tested without a server: when it is due, which window each
 * flow reads, whether the workflow needs to hear about it, and how long a transient failure waits.
 */

/** When the poll is due: the request's time, or the later one an earlier idle poll set under the same schedule. */
export function pollDueAt(req: PollRequest, ledger: PollLedger | undefined): number {
  const notBefore = Date.parse(req.notBefore);
  // After an interruption the workflow asks again with the due time it last knew; the ledger knows the idle polls since.
  const known = ledger?.schedule === req.schedule && ledger.next_poll_at ? ledger.next_poll_at.getTime() : 0;
  return Math.max(notBefore, known);
}

/** Windows earlier idle attempts verified, when they extend this request's watermarks (same run, same start). */
export function usableVerified(req: PollRequest, ledger: PollLedger | undefined): VerifiedWindows {
  if (!ledger || ledger.run_id !== req.runId) return {};
  return Object.fromEntries(Object.entries(ledger.verified).filter(([flow, w]) => req.flows.some((f) => f.flow === flow && f.from === w.from)));
}

/**
 * The window a flow reads in this attempt: from the request's start, or, when idle attempts already found nothing to
 * write up to `verified.to`, from there minus the overlap (the same rule as the watermark's); to now, capped by
 * maxWindowMs. Undefined when the flow is not due (its window would start in the future).
 */
export function attemptWindow(flow: PollFlow, verified: VerifiedWindows[string] | undefined, now: number): { from: number; to: number } | undefined {
  let from = Date.parse(flow.from);
  if (verified && verified.from === flow.from) from = Math.max(from, Date.parse(verified.to) - flow.overlapMs);
  if (from >= now) return undefined;
  return { from, to: Math.min(now, from + flow.maxWindowMs) };
}

/**
 * Why this attempt must return to the workflow, or undefined for an idle poll (retried at the next poll time): it
 * was asked to report, it wrote (or dead-lettered) records, records began waiting for references, a window was
 * capped by maxWindowMs (catch-up windows follow), or a flow's error is new, changed or gone. Re-read records that were unchanged are not news.
 */
export function returnReason(req: PollRequest, outcomes: Record<string, WindowOutcome>, now: number, caps: Record<string, number> = {}): string | undefined {
  if (req.report) return 'asked to report';
  for (const f of req.flows) {
    const o = outcomes[f.flow];
    if (!o) continue;
    if (o.error !== undefined) {
      if (o.error !== f.lastError) return `${f.flow} failed`;
      continue;
    }
    if (f.lastError !== undefined) return `${f.flow} recovered`;
    const s = o.summary;
    if (s.created + s.updated + s.deadLettered > 0) return `${f.flow} wrote records`;
    if ((s.waitingAdded ?? 0) > 0) return `${f.flow} has records waiting for references`;
    // A flow held back by its dependencies' watermarks is caught up when it reached them.
    if (Date.parse(s.watermark) < Math.min(now, caps[f.flow] ?? now)) return `${f.flow} needs catch-up windows`;
  }
  return undefined;
}

/** What the poll activity heartbeats: its progress, and its transient failures in a row for the next attempt. */
export interface PollHeartbeat {
  flow?: string;
  fetched?: number;
  done?: number;
  failedAttempt?: number;
  failures?: number;
}

/**
 * Backoff for a transient failure of attempt `attempt`: the previous attempt's heartbeat says whether it failed too
 * (then the streak grows), else this is the first failure after idle polls or a success (1 s again).
 */
export function transientRetry(previous: unknown, attempt: number): { failures: number; delayMs: number } {
  const p = (typeof previous === 'object' && previous !== null ? previous : {}) as PollHeartbeat;
  const failures = p.failedAttempt === attempt - 1 && typeof p.failures === 'number' ? p.failures + 1 : 1;
  return { failures, delayMs: transientBackoffMs(failures) };
}
