import { nextFireOrNever, parseSchedule, type Schedule } from '../core/cron';

/** A schedule accepted before the API bounded them that never fires polls once a year instead of failing the run. */
const NEVER_FIRES_RETRY_MS = 366 * 86_400_000;
import type { CarriedState, FlowProgress, FlowSettings, InboxEvent, SyncInput, SyncStatus } from '../core/sync-types';

/** Bounded so the carried state stays small; older duplicates are caught by the activity's seen-events table. */
const RECENT_EVENT_IDS = 2_000;

/** The long-lived state of one connection's sync, handed on through continue-as-new. */
export class SyncState {
  schedule: string;
  flows: FlowSettings[];
  progress: Record<string, FlowProgress>;
  paused: boolean;
  pollRequested = false;
  inbox: InboxEvent[];
  recentEventIds: string[];
  private recentSet: Set<string>;
  totals: CarriedState['totals'];
  activity: SyncStatus['state'] = 'idle';
  nextPollAt?: number;
  signalsThisRun = 0;
  /** Serialises polls, inbox batches and replays: two activities must never write the same record at once. */
  busy = false;
  /** Callers waiting for `busy` to clear: a background poll gives way to them. */
  waiting = 0;
  /** The schedule or flows changed since the pending poll was asked for: it must be asked again. */
  settingsChanged = false;
  private parsed: Schedule;

  constructor(readonly input: SyncInput) {
    const carried = input.carried;
    this.schedule = input.schedule;
    this.parsed = parseSchedule(input.schedule);
    this.flows = input.flows;
    this.progress = carried?.progress ?? {};
    for (const f of input.flows) this.progress[f.flow] ??= { watermark: f.initialFrom, synced: 0, failed: 0 };
    this.paused = carried?.paused ?? false;
    this.pollRequested = carried?.pollRequested ?? false;
    this.inbox = [...(carried?.pendingEvents ?? [])];
    this.recentEventIds = carried?.recentEventIds ?? [];
    this.recentSet = new Set(this.recentEventIds);
    this.totals = carried?.totals ?? { polls: 0, inboxEvents: 0, duplicatesDropped: 0, runs: 0 };
  }

  /** Returns false for an event already seen (webhooks are redelivered; Asana retries for 24 h). */
  enqueue(event: InboxEvent): boolean {
    this.signalsThisRun += 1;
    if (this.recentSet.has(event.eventId)) {
      this.totals.duplicatesDropped += 1;
      return false;
    }
    this.recentSet.add(event.eventId);
    this.recentEventIds.push(event.eventId);
    if (this.recentEventIds.length > RECENT_EVENT_IDS) this.recentSet.delete(this.recentEventIds.shift()!);
    this.inbox.push(event);
    return true;
  }

  setSchedule(text: string): void {
    this.parsed = parseSchedule(text);
    this.schedule = text;
  }

  /** The schedule's next fire time after `after` (epoch ms), from the workflow's own clock and the schedule only. */
  nextPollAfter(after: Date): number {
    return nextFireOrNever(this.parsed, after)?.getTime() ?? after.getTime() + NEVER_FIRES_RETRY_MS;
  }

  applyFlows(flows: FlowSettings[]): void {
    this.flows = flows;
    for (const f of flows) this.progress[f.flow] ??= { watermark: f.initialFrom, synced: 0, failed: 0 };
  }

  carry(): CarriedState {
    return {
      progress: this.progress,
      paused: this.paused,
      pollRequested: this.pollRequested,
      recentEventIds: this.recentEventIds,
      totals: { ...this.totals, runs: this.totals.runs + 1 },
      pendingEvents: this.inbox,
    };
  }

  status(runStartedAt: Date): SyncStatus {
    return {
      connectionId: this.input.connectionId,
      pair: this.input.pair,
      state: this.paused ? 'paused' : this.activity,
      paused: this.paused,
      schedule: this.schedule,
      nextPollAt: this.nextPollAt === undefined ? undefined : new Date(this.nextPollAt).toISOString(),
      lastPollAt: Object.values(this.progress).reduce<string | undefined>((a, p) => (p.lastPollAt && (!a || p.lastPollAt > a) ? p.lastPollAt : a), undefined),
      progress: this.progress,
      inboxPending: this.inbox.length,
      totals: this.totals,
      runStartedAt: runStartedAt.toISOString(),
    };
  }
}
