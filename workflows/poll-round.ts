import { ActivityFailure, ApplicationFailure, log, workflowInfo } from '@temporalio/workflow';
import { dependencyCap, orderFlows } from '../core/flow-dependencies';
import type { FlowSettings, WindowRequest, WindowSummary } from '../core/sync-types';
import { shouldContinueAsNew } from './continue-as-new';
import { isLeaseLost } from './lease-lost';
import { syncActivities } from './sync-activities';
import type { SyncState } from './sync-state';

/**
 * One poll's bookkeeping over the enabled flows: where each window starts, watermarks moved only by summaries of
 * durably written windows, per-flow errors, and the catch-up windows (one activity each) that bring a flow up to the
 * poll's time. Whoever fetched the first windows (the poll activity, or the older batched one) reports into it.
 */
export class PollRound {
  readonly flows: FlowSettings[];
  private readonly cursor: Map<string, number>;
  private readonly failed = new Set<string>();

  constructor(private readonly state: SyncState) {
    this.flows = inDependencyOrder(state.flows.filter((f) => f.enabled));
    this.cursor = new Map(this.flows.map((f) => [f.flow, Math.max(Date.parse(f.initialFrom), Date.parse(state.progress[f.flow]!.watermark) - f.overlapMs)]));
  }

  /** Where the flow's next window starts: the overlap before its watermark (dedupe makes the overlap safe). */
  from(f: FlowSettings): number {
    return this.cursor.get(f.flow)!;
  }

  /** Flows whose next window starts before `until`. */
  due(until: number): FlowSettings[] {
    return this.flows.filter((f) => this.from(f) < until);
  }

  windowRequest(f: FlowSettings, until: number): WindowRequest {
    const from = this.from(f);
    const to = Math.min(until, from + f.maxWindowMs);
    const info = workflowInfo();
    // A window ending before `until` is followed by the next one (record() moves the cursor to `to`): say which.
    const next = to < until ? { from: new Date(to).toISOString(), to: new Date(Math.min(until, to + f.maxWindowMs)).toISOString(), overlapMs: f.overlapMs } : undefined;
    return {
      connectionId: this.state.input.connectionId,
      flow: f.flow,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      workflowId: info.workflowId,
      runId: info.runId,
      waitForReferenceMs: f.waitForReferenceMs,
      conflictRule: f.conflictRule,
      ...(next ? { next } : {}),
    };
  }

  /** How far the flow may read in this round: `until`, or the lower watermark of a flow it depends on. */
  limit(f: FlowSettings, until: number): number {
    const cap = dependencyCap(f, this.state.flows, (d) => (this.state.progress[d] ? Date.parse(this.state.progress[d].watermark) : undefined));
    return Math.min(until, cap ?? until);
  }

  record(f: FlowSettings, summary: WindowSummary): void {
    const progress = this.state.progress[f.flow]!;
    // Only now, with the window's records durably written or dead-lettered, does the watermark move.
    if (Date.parse(summary.watermark) > Date.parse(progress.watermark)) progress.watermark = summary.watermark;
    progress.synced += summary.created + summary.updated;
    progress.failed += summary.deadLettered;
    // The waiting table's answer replaces the last one; a summary without it means the flow has none waiting.
    progress.waiting = summary.waiting && summary.waiting.count > 0 ? summary.waiting : undefined;
    this.cursor.set(f.flow, Date.parse(summary.watermark));
  }

  fail(f: FlowSettings, error: string): void {
    // A flow that cannot run (bad credentials, routing missing) must not stop the others or end the workflow.
    this.failed.add(f.flow);
    this.state.progress[f.flow]!.lastError = error;
    log.warn('flow poll failed', { flow: f.flow, error });
  }

  /** Further windows, one activity each, until every flow reached `until`; false when cut short (continue-as-new, lease lost). */
  async catchUp(until: number): Promise<boolean> {
    for (const f of this.flows) {
      if (this.failed.has(f.flow)) continue;
      try {
        // Dependencies come first in `flows`, so their watermarks are this round's when a dependent flow reads.
        const limit = this.limit(f, until);
        while (this.from(f) < limit) {
          if (shouldContinueAsNew(this.state)) return false;
          this.record(f, await syncActivities(this.state.input).syncWindow(this.windowRequest(f, limit)));
        }
      } catch (err) {
        // The window's watermark did not move; a poll asked for at once reads it again.
        if (isLeaseLost(err)) return false;
        this.fail(f, describe(err));
      }
    }
    return true;
  }

  finish(polledAt: number): void {
    for (const f of this.flows) {
      if (!this.failed.has(f.flow)) this.state.progress[f.flow]!.lastError = undefined;
      this.state.progress[f.flow]!.lastPollAt = new Date(polledAt).toISOString();
    }
  }
}

/** Dependencies first; a list the API should have refused (a cycle) keeps its declared order, with a warning. */
function inDependencyOrder(flows: FlowSettings[]): FlowSettings[] {
  try {
    return orderFlows(flows);
  } catch (err) {
    log.warn('flow dependencies ignored for ordering', { error: (err as Error).message });
    return flows;
  }
}

export function describe(err: unknown): string {
  if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure) return err.cause.message;
  return err instanceof Error ? err.message : String(err);
}
