/** Types shared by the sync engine workflow, its activities and the API. Plain data: they travel through history. */
import type { ConflictRule } from './conflict-rule';

/** How a flow waits for references and settles conflicts (see core/flow-dependencies.ts, core/conflict-rule.ts). */
export interface FlowPolicy {
  /** A record whose reference is missing on the target waits this long (default 24 h), then is dead-lettered. */
  waitForReferenceMs?: number;
  /** Bidirectional entities: who wins when both sides changed since the last sync (default: PeopleSoft's financial fields). */
  conflictRule?: ConflictRule;
}

/** What the workflow knows of a flow: no records, no credentials, only how to walk time. */
export interface FlowSettings extends FlowPolicy {
  /** Names an adapter registered with the activities, e.g. 'ps-vouchers-to-asana-tasks'. */
  flow: string;
  /** Re-read this much before the watermark on each poll; dedupe by hash makes the overlap safe. */
  overlapMs: number;
  /** One activity covers at most this much source time (bounds a first sync's load on the source). */
  maxWindowMs: number;
  /** Where the first sync starts (ISO time). */
  initialFrom: string;
  enabled: boolean;
  /** Flows that must run first; this flow never reads past their watermarks (purchase orders after vendors). */
  dependsOn?: string[];
}

export interface SyncInput {
  connectionId: string;
  customerId: string;
  pair: string;
  /** Cron expression or `@every Ns`. */
  schedule: string;
  flows: FlowSettings[];
  /** Set by continue-as-new: what the previous run had learned. */
  carried?: CarriedState;
  /**
   * The activities' heartbeat timeout (Temporal duration, default 20 seconds): how soon a killed worker's activity
   * is retried elsewhere. Only the fault suite sets it (shorter, so 20 SIGKILLs fit its time budget).
   */
  activityHeartbeatTimeout?: string;
}

export interface FlowProgress {
  /** Everything with a source timestamp up to here is durably written (or dead-lettered). */
  watermark: string;
  synced: number;
  failed: number;
  lastPollAt?: string;
  lastError?: string;
  /** Records waiting for a missing reference, as the flow's last window saw them. */
  waiting?: WaitingSnapshot;
}

/** A flow's records waiting for references: how many, and a few of the missing keys. */
export interface WaitingSnapshot {
  count: number;
  missingKeys: string[];
}

export interface CarriedState {
  progress: Record<string, FlowProgress>;
  paused: boolean;
  /** A poll was cut short (or asked for) and must run first thing in the next run. */
  pollRequested: boolean;
  recentEventIds: string[];
  totals: { polls: number; inboxEvents: number; duplicatesDropped: number; runs: number };
  pendingEvents: InboxEvent[];
}

/** A webhook event as the API hands it over: small, already verified, with a stable id for de-duplication. */
export interface InboxEvent {
  eventId: string;
  partner: string;
  /** e.g. 'task.completed', 'task.uncompleted', 'task.changed' */
  kind: string;
  resourceId: string;
  receivedAt: string;
}

export interface WindowRequest extends FlowPolicy {
  connectionId: string;
  flow: string;
  from: string;
  to: string;
  /** For audit rows and activity summaries. */
  workflowId: string;
  runId: string;
  /** The window the workflow asks for next if this one completes (catch-up follows): fetched ahead while this one is written. */
  next?: { from: string; to: string; overlapMs: number };
}

export interface WindowSummary {
  fetched: number;
  created: number;
  updated: number;
  unchanged: number;
  deadLettered: number;
  /** Keys of records that failed permanently this window (capped list, for status). */
  failedKeys: string[];
  /** Safe to store as the flow's watermark: every record up to it is written, waiting or dead-lettered. */
  watermark: string;
  /** Records that began waiting for a reference in this window. */
  waitingAdded?: number;
  /** The flow's waiting records after this window (absent for flows without references). */
  waiting?: WaitingSnapshot;
  /** Records read back that we had written ourselves (bidirectional flows), not written again. */
  echoes?: number;
}

/** A flow's first window in a batched poll: its summary, or why the flow could not run (the others still did). */
export type WindowOutcome = { summary: WindowSummary; error?: undefined } | { error: string; summary?: undefined };

/** One flow of a poll: where its window starts. Each attempt picks its own `to` (now, capped by maxWindowMs). */
export interface PollFlow extends FlowPolicy {
  flow: string;
  /** max(initialFrom, watermark - overlapMs), as the workflow computed it. */
  from: string;
  overlapMs: number;
  maxWindowMs: number;
  /** The error the workflow last recorded for the flow: the same error again is not news and needs no return. */
  lastError?: string;
  /** The flow's watermark as the workflow knows it (caps the flows that depend on it when it does not run). */
  watermark?: string;
  /** Flows of this request it depends on: its window never ends past their watermarks in this attempt. */
  dependsOn?: string[];
}

/**
 * The request of a connection's long-lived poll activity. An attempt that finds nothing to write ends with a retry
 * timed for the next poll ("retry as timer": no workflow task, no timer), so the schedule travels with the request.
 */
export interface PollRequest {
  connectionId: string;
  /** Labels the worker's poll-lag metric (absent in requests scheduled before it existed). */
  pair?: string;
  workflowId: string;
  runId: string;
  schedule: string;
  /** No poll before this time (ISO) unless the ledger knows a later due time under the same schedule. */
  notBefore: string;
  /** Return after the first poll even when it found nothing (pollNow, a connection's first poll). */
  report: boolean;
  flows: PollFlow[];
}

/** What a poll returns once it has something for the workflow: writes, a catch-up, a new or cleared error. */
export interface PollResult {
  /** When the returning attempt polled: the end of every window that did not need to be capped. */
  polledAt: string;
  /** Polls this result accounts for: the returning one and the idle ones not reported before. */
  polls: number;
  /** By flow; a flow missing here was not due (its window starts in the future). */
  outcomes: Record<string, WindowOutcome>;
}

export interface InboxSummary {
  applied: number;
  alreadyApplied: number;
  ignored: number;
  deadLettered: number;
}

export interface ReplayFilter {
  ids?: number[];
  flow?: string;
  recordKeys?: string[];
  errorCode?: string;
}

export interface ReplaySummary {
  attempted: number;
  resolved: number;
  stillFailing: number;
}

export interface SyncStatus {
  connectionId: string;
  pair: string;
  state: 'idle' | 'polling' | 'processing-inbox' | 'replaying' | 'paused';
  paused: boolean;
  schedule: string;
  nextPollAt?: string;
  /** The connection's latest poll, idle ones included (per flow, lastPollAt is the latest poll the workflow recorded). */
  lastPollAt?: string;
  progress: Record<string, FlowProgress>;
  inboxPending: number;
  totals: CarriedState['totals'];
  runStartedAt: string;
}
