import { allHandlersFinished, condition, continueAsNew, log, workflowInfo } from '@temporalio/workflow';
import type { SyncInput } from '../core/sync-types';
import { drainInbox } from './inbox';
import type { SyncState } from './sync-state';

/** Continue-as-new before this many signals in one run (history stays small; Temporal caps a run at 10,000). */
const MAX_SIGNALS_PER_RUN = 9_000;

export function shouldContinueAsNew(state: SyncState): boolean {
  return workflowInfo().continueAsNewSuggested || state.signalsThisRun >= MAX_SIGNALS_PER_RUN;
}

/** Hands the run's state to a new run, once the inbox is drained and no update handler is still running. */
export async function continueAsNewWithState(state: SyncState): Promise<never> {
  await drainInbox(state);
  await condition(allHandlersFinished);
  log.info('continuing as new', { signals: state.signalsThisRun, historyLength: workflowInfo().historyLength });
  return continueAsNew<(input: SyncInput) => Promise<void>>({ ...state.input, schedule: state.schedule, flows: state.flows, carried: state.carry() });
}
