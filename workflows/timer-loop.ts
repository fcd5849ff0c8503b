import { condition } from '@temporalio/workflow';
import { exclusive } from './connection-lock';
import { continueAsNewWithState, shouldContinueAsNew } from './continue-as-new';
import { drainInbox } from './inbox';
import { describe, PollRound } from './poll-round';
import { syncWindows } from './sync-activities';
import type { SyncState } from './sync-state';

/**
 * The loop of runs started before polls became one long-lived activity: a timer until the next poll, then the first
 * windows in one activity (2 billable actions per idle poll). Kept, command for command, so those runs replay until
 * they continue as new into the poll loop; remove it with deprecatePatch once none is left open.
 */
export async function timerLoop(state: SyncState): Promise<never> {
  state.nextPollAt ??= state.input.carried ? state.nextPollAfter(new Date()) : Date.now();

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
      else state.nextPollAt = state.nextPollAfter(new Date());
    }

    if (shouldContinueAsNew(state)) await continueAsNewWithState(state);
  }
}

/** One poll: the first window of every enabled flow in one activity, then catch-up windows. */
async function pollAllFlows(state: SyncState): Promise<boolean> {
  const pollStartedAt = Date.now();
  state.totals.polls += 1;
  const round = new PollRound(state);
  const due = round.due(pollStartedAt);
  if (due.length > 0) {
    try {
      const outcomes = await syncWindows(due.map((f) => round.windowRequest(f, pollStartedAt)));
      due.forEach((f, i) => {
        const o = outcomes[i]!;
        if (o.summary) round.record(f, o.summary);
        else round.fail(f, o.error);
      });
    } catch (err) {
      for (const f of due) round.fail(f, describe(err));
    }
  }
  if (!(await round.catchUp(pollStartedAt))) return false;
  round.finish(pollStartedAt);
  return true;
}
