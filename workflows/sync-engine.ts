import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { SyncActivities } from '../activities';
import { nextFire, parseSchedule } from '../core/cron';
import {
  pauseSignal,
  pollNowSignal,
  replayDeadLettersUpdate,
  resumeSignal,
  statusQuery,
  updateConfigUpdate,
  webhookEventSignal,
  webhookEventsSignal,
} from '../core/sync-messages';
import type { FlowSettings, ReplayFilter, SyncInput, WindowSummary } from '../core/sync-types';
import { SyncState } from './sync-state';

/** Continue-as-new before this many signals in one run (history stays small; Temporal caps a run at 10,000). */
const MAX_SIGNALS_PER_RUN = 9_000;
const INBOX_BATCH = 100;

// Windows heartbeat; a killed worker is noticed within the heartbeat timeout, not after startToClose.
const { syncWindow, syncWindows, handleInboxEvents, replayDeadLetters } = proxyActivities<SyncActivities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '20 seconds',
  // Transient partner errors retry without limit (a record is never dropped); permanent ones are dead-lettered by
  // the activity itself, and configuration errors are thrown non-retryable.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '2 minutes' },
});

/**
 * The sync engine, written once. A pair's workflow is `(input) => runSyncEngine(input)` with the pair's flows in
 * its input. No I/O here: every record effect happens in activities, which return small summaries.
 */
export async function runSyncEngine(input: SyncInput): Promise<void> {
  const state = new SyncState(input);
  const info = workflowInfo();
  const runStartedAt = new Date();
  let schedule = parseSchedule(state.schedule);

  setHandler(pollNowSignal, () => {
    state.signalsThisRun += 1;
    state.pollRequested = true;
  });
  setHandler(pauseSignal, () => {
    state.signalsThisRun += 1;
    state.paused = true;
  });
  setHandler(resumeSignal, () => {
    state.signalsThisRun += 1;
    state.paused = false;
  });
  setHandler(webhookEventSignal, (event) => {
    state.enqueue(event);
  });
  setHandler(webhookEventsSignal, (events) => {
    for (const event of events) state.enqueue(event);
  });
  setHandler(statusQuery, () => state.status(runStartedAt));
  setHandler(
    replayDeadLettersUpdate,
    async (filter) =>
      exclusive(state, 'replaying', () =>
        replayDeadLetters({ connectionId: input.connectionId, filter, workflowId: info.workflowId, runId: info.runId }),
      ),
    {
      validator: (filter: ReplayFilter) => {
        if (filter.ids && filter.ids.some((id) => !Number.isInteger(id) || id <= 0)) throw new Error('ids must be positive integers');
      },
    },
  );
  setHandler(
    updateConfigUpdate,
    (change) => {
      if (change.schedule !== undefined) {
        schedule = parseSchedule(change.schedule);
        state.schedule = change.schedule;
        state.nextPollAt = nextFire(schedule, new Date()).getTime();
      }
      if (change.flows) state.applyFlows(change.flows);
      return { schedule: state.schedule, flows: state.flows.map((f) => f.flow) };
    },
    {
      validator: (change) => {
        // Rejected updates never reach history: a bad cron is refused to the caller, the run goes on.
        if (change.schedule !== undefined) parseSchedule(change.schedule);
        if (change.flows) validateFlows(change.flows);
      },
    },
  );

  state.nextPollAt ??= input.carried ? nextFire(schedule, new Date()).getTime() : Date.now();

  for (;;) {
    const wait = Math.max(0, (state.nextPollAt ?? Date.now()) - Date.now());
    const woken = await condition(() => state.inbox.length > 0 || state.pollRequested || state.paused, wait);

    if (state.paused) {
      await condition(() => !state.paused);
      continue;
    }
    if (state.inbox.length > 0) await drainInbox(state);
    if (!woken || state.pollRequested || Date.now() >= (state.nextPollAt ?? 0)) {
      state.pollRequested = false;
      const finished = await exclusive(state, 'polling', () => pollAllFlows(state));
      // A catch-up poll cut short for continue-as-new resumes at once in the next run.
      if (!finished) state.pollRequested = true;
      else state.nextPollAt = nextFire(schedule, new Date()).getTime();
    }

    if (shouldContinueAsNew(state)) {
      await drainInbox(state);
      await condition(allHandlersFinished);
      log.info('continuing as new', { signals: state.signalsThisRun, historyLength: workflowInfo().historyLength });
      await continueAsNew<typeof runSyncEngine>({ ...input, schedule: state.schedule, flows: state.flows, carried: state.carry() });
    }
  }
}

async function exclusive<T>(state: SyncState, activity: SyncState['activity'], fn: () => Promise<T>): Promise<T> {
  await condition(() => !state.busy);
  state.busy = true;
  state.activity = activity;
  try {
    return await fn();
  } finally {
    state.busy = false;
    state.activity = 'idle';
  }
}

async function drainInbox(state: SyncState): Promise<void> {
  const info = workflowInfo();
  while (state.inbox.length > 0 && !state.paused) {
    const batch = state.inbox.slice(0, INBOX_BATCH);
    await exclusive(state, 'processing-inbox', () =>
      handleInboxEvents({ connectionId: state.input.connectionId, events: batch, workflowId: info.workflowId, runId: info.runId }),
    );
    // Removed only after the activity returned: a crash mid-batch replays the batch, deduplicated by event id.
    state.inbox.splice(0, batch.length);
    state.totals.inboxEvents += batch.length;
  }
}

function shouldContinueAsNew(state: SyncState): boolean {
  return workflowInfo().continueAsNewSuggested || state.signalsThisRun >= MAX_SIGNALS_PER_RUN;
}

/**
 * One poll: the first window of every enabled flow in ONE activity (an idle poll costs a single activity whatever
 * the number of flows), then one activity per further window for flows that are catching up. Returns false when it
 * stopped early because the run should continue as new (history is large).
 */
async function pollAllFlows(state: SyncState): Promise<boolean> {
  const info = workflowInfo();
  const pollStartedAt = Date.now();
  state.totals.polls += 1;
  const flows = state.flows.filter((f) => f.enabled);
  const cursor = new Map(flows.map((f) => [f.flow, Math.max(Date.parse(f.initialFrom), Date.parse(state.progress[f.flow]!.watermark) - f.overlapMs)]));
  const failed = new Set<string>();
  const request = (f: FlowSettings) => {
    const from = cursor.get(f.flow)!;
    const to = Math.min(pollStartedAt, from + f.maxWindowMs);
    return { connectionId: state.input.connectionId, flow: f.flow, from: new Date(from).toISOString(), to: new Date(to).toISOString(), workflowId: info.workflowId, runId: info.runId };
  };
  const record = (f: FlowSettings, summary: WindowSummary) => {
    const progress = state.progress[f.flow]!;
    // Only now, with the window's records durably written or dead-lettered, does the watermark move.
    if (Date.parse(summary.watermark) > Date.parse(progress.watermark)) progress.watermark = summary.watermark;
    progress.synced += summary.created + summary.updated;
    progress.failed += summary.deadLettered;
    cursor.set(f.flow, Date.parse(summary.watermark));
  };
  const fail = (f: FlowSettings, error: string) => {
    // A flow that cannot run (bad credentials, routing missing) must not stop the others or end the workflow.
    failed.add(f.flow);
    state.progress[f.flow]!.lastError = error;
    log.warn('flow poll failed', { flow: f.flow, error });
  };

  const due = flows.filter((f) => cursor.get(f.flow)! < pollStartedAt);
  if (due.length > 0) {
    try {
      const outcomes = await syncWindows(due.map(request));
      due.forEach((f, i) => {
        const o = outcomes[i]!;
        if (o.summary) record(f, o.summary);
        else fail(f, o.error);
      });
    } catch (err) {
      for (const f of due) fail(f, describe(err));
    }
  }

  for (const f of flows) {
    if (failed.has(f.flow)) continue;
    try {
      while (cursor.get(f.flow)! < pollStartedAt) {
        if (shouldContinueAsNew(state)) return false;
        record(f, await syncWindow(request(f)));
      }
    } catch (err) {
      fail(f, describe(err));
    }
  }
  for (const f of flows) {
    if (!failed.has(f.flow)) state.progress[f.flow]!.lastError = undefined;
    state.progress[f.flow]!.lastPollAt = new Date(pollStartedAt).toISOString();
  }
  return true;
}

function describe(err: unknown): string {
  if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure) return err.cause.message;
  return err instanceof Error ? err.message : String(err);
}

function validateFlows(flows: FlowSettings[]): void {
  for (const f of flows) {
    if (!f.flow) throw new Error('every flow needs a name');
    if (!(f.maxWindowMs > 0) || !(f.overlapMs >= 0)) throw new Error(`flow ${f.flow}: maxWindowMs must be > 0 and overlapMs >= 0`);
    if (Number.isNaN(Date.parse(f.initialFrom))) throw new Error(`flow ${f.flow}: initialFrom must be an ISO date`);
  }
}
