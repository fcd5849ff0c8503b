import { CancellationScope, condition, workflowInfo } from '@temporalio/workflow';
import type { PollRequest, PollResult } from '../core/sync-types';
import { exclusive } from './connection-lock';
import { continueAsNewWithState, shouldContinueAsNew } from './continue-as-new';
import { drainInbox } from './inbox';
import { isLeaseLost } from './lease-lost';
import { describe, PollRound } from './poll-round';
import { syncActivities } from './sync-activities';
import type { SyncState } from './sync-state';

/**
 * The engine's loop: one poll activity at a time, whose retries wait for the schedule (an idle poll is one billable
 * action: the attempt; no timer, no workflow task). It comes back with writes, a catch-up, a changed error, or when
 * asked to report; a signal that needs the connection (webhook events, pause, pollNow, config, replay,
 * continue-as-new) cancels it and waits for it to close first.
 */
export async function pollLoop(state: SyncState): Promise<never> {
  // A connection's first poll reports even when it finds nothing, so its status shows the poll ran.
  if (!state.input.carried) state.pollRequested = true;
  state.nextPollAt ??= state.nextPollAfter(new Date());

  for (;;) {
    if (state.paused) {
      await condition(() => !state.paused);
      continue;
    }
    if (state.inbox.length > 0) {
      await drainInbox(state);
      continue;
    }
    if (shouldContinueAsNew(state)) await continueAsNewWithState(state);
    if (state.waiting > 0) {
      // A replay is waiting for the connection: it goes first.
      await condition(() => state.waiting === 0);
      continue;
    }
    await poll(state);
  }
}

type PollOutcome = { kind: 'result'; result: PollResult } | { kind: 'failed'; error: string } | { kind: 'interrupted' };

async function poll(state: SyncState): Promise<void> {
  const report = state.pollRequested;
  state.pollRequested = false;
  state.settingsChanged = false;
  const round = new PollRound(state);
  const notBefore = report ? Date.now() : state.nextPollAt!;
  const info = workflowInfo();
  const request: PollRequest = {
    connectionId: state.input.connectionId,
    pair: state.input.pair,
    workflowId: info.workflowId,
    runId: info.runId,
    schedule: state.schedule,
    notBefore: new Date(notBefore).toISOString(),
    report,
    flows: round.flows.map((f) => ({
      flow: f.flow,
      from: new Date(round.from(f)).toISOString(),
      overlapMs: f.overlapMs,
      maxWindowMs: f.maxWindowMs,
      lastError: state.progress[f.flow]!.lastError,
      watermark: state.progress[f.flow]!.watermark,
      dependsOn: f.dependsOn,
      waitForReferenceMs: f.waitForReferenceMs,
      conflictRule: f.conflictRule,
    })),
  };

  await exclusive(state, report ? 'polling' : 'idle', async () => {
    const outcome = await pollUntilNews(state, request);
    if (outcome.kind === 'interrupted') {
      // An asked-for poll that was interrupted is still owed.
      if (report) state.pollRequested = true;
      return;
    }
    state.activity = 'polling';
    if (outcome.kind === 'failed') {
      state.totals.polls += 1;
      for (const f of round.flows) round.fail(f, outcome.error);
      round.finish(Date.now());
    } else {
      const { result } = outcome;
      const polledAt = Date.parse(result.polledAt);
      state.totals.polls += result.polls;
      for (const f of round.flows) {
        const o = result.outcomes[f.flow];
        if (o?.summary) round.record(f, o.summary);
        else if (o) round.fail(f, o.error);
      }
      // A catch-up cut short for continue-as-new resumes at once in the next run.
      if (!(await round.catchUp(polledAt))) {
        state.pollRequested = true;
        return;
      }
      round.finish(polledAt);
    }
    state.nextPollAt = state.nextPollAfter(new Date());
  });
}

/**
 * Runs the poll activity until it returns or something needs the connection. On interruption the activity is
 * cancelled and awaited: it may still complete (an attempt that had written returns its summary, which is kept).
 */
async function pollUntilNews(state: SyncState, request: PollRequest): Promise<PollOutcome> {
  const scope = new CancellationScope();
  let settled = false;
  const activity = scope.run(() => syncActivities(state.input).pollFlows(request));
  void activity.then(
    () => (settled = true),
    () => (settled = true),
  );
  await condition(() => settled || interrupts(state, request.report));
  const cancelled = !settled;
  if (cancelled) scope.cancel();
  try {
    return { kind: 'result', result: await activity };
  } catch (err) {
    // A poll that lost its connection to a newer attempt is interrupted, not failed: the next poll does its work.
    return cancelled || isLeaseLost(err) ? { kind: 'interrupted' } : { kind: 'failed', error: describe(err) };
  }
}

/**
 * What cancels a pending poll. Webhook events cancel a scheduled one (usually waiting between attempts) but wait for
 * an asked-for one (pollNow, a first sync): events arriving faster than a poll attempt can start would otherwise
 * keep it from ever running. A scheduled poll can still be held back by such a storm until it ends.
 */
function interrupts(state: SyncState, report: boolean): boolean {
  return (
    state.paused ||
    state.waiting > 0 ||
    state.settingsChanged ||
    shouldContinueAsNew(state) ||
    // A poll asked for while a reporting one runs waits for it (then runs once more, as before).
    (!report && (state.inbox.length > 0 || state.pollRequested))
  );
}
