import { setHandler, workflowInfo } from '@temporalio/workflow';
import { validateConflictRule } from '../core/conflict-rule';
import { parseSchedule } from '../core/cron';
import { validateFlowDependencies } from '../core/flow-dependencies';
import {
  pauseSignal,
  pollNowSignal,
  replayDeadLettersUpdate,
  resumeSignal,
  statusQuery,
  updateConfigUpdate,
  webhookEventsSignal,
} from '../core/sync-messages';
import { replayFilterProblem } from '../core/replay-filter';
import type { FlowSettings, ReplayFilter, SyncInput } from '../core/sync-types';
import { exclusive } from './connection-lock';
import { pollLoop } from './poll-loop';
import { syncActivities } from './sync-activities';
import { SyncState } from './sync-state';

/**
 * The sync engine, written once. A pair's workflow is `(input) => runSyncEngine(input)` with the pair's flows in
 * its input. No I/O here: every record effect happens in activities, which return small summaries.
 */
export async function runSyncEngine(input: SyncInput): Promise<void> {
  const state = new SyncState(input);
  const info = workflowInfo();
  const runStartedAt = new Date();

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
  setHandler(webhookEventsSignal, (events) => {
    for (const event of events) state.enqueue(event);
  });
  setHandler(statusQuery, () => state.status(runStartedAt));
  setHandler(
    replayDeadLettersUpdate,
    async (filter) =>
      exclusive(state, 'replaying', () =>
        syncActivities(input).replayDeadLetters({ connectionId: input.connectionId, filter, workflowId: info.workflowId, runId: info.runId }),
      ),
    {
      validator: (filter: ReplayFilter) => {
        const problem = replayFilterProblem(filter);
        if (problem) throw new Error(problem);
      },
    },
  );
  setHandler(
    updateConfigUpdate,
    (change) => {
      if (change.schedule !== undefined) {
        state.setSchedule(change.schedule);
        state.nextPollAt = state.nextPollAfter(new Date());
      }
      if (change.flows) state.applyFlows(change.flows);
      // A pending poll carries the old schedule and flows: it is asked again.
      if (change.schedule !== undefined || change.flows) state.settingsChanged = true;
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

  await pollLoop(state);
}

function validateFlows(flows: FlowSettings[]): void {
  for (const f of flows) {
    if (!f.flow) throw new Error('every flow needs a name');
    if (!(f.maxWindowMs > 0) || !(f.overlapMs >= 0)) throw new Error(`flow ${f.flow}: maxWindowMs must be > 0 and overlapMs >= 0`);
    if (Number.isNaN(Date.parse(f.initialFrom))) throw new Error(`flow ${f.flow}: initialFrom must be an ISO date`);
    if (f.waitForReferenceMs !== undefined && !(f.waitForReferenceMs >= 0)) throw new Error(`flow ${f.flow}: waitForReferenceMs must be >= 0 (milliseconds)`);
    validateConflictRule(f.flow, f.conflictRule);
  }
  // Unknown dependencies and cycles are refused with the flows named.
  validateFlowDependencies(flows);
}
