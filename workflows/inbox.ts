import { workflowInfo } from '@temporalio/workflow';
import { exclusive } from './connection-lock';
import { isLeaseLost } from './lease-lost';
import { syncActivities } from './sync-activities';
import type { SyncState } from './sync-state';

const INBOX_BATCH = 100;

/** Webhook events, in order, a batch per activity, until the inbox is empty or the connection is paused. */
export async function drainInbox(state: SyncState): Promise<void> {
  const info = workflowInfo();
  while (state.inbox.length > 0 && !state.paused) {
    const batch = state.inbox.slice(0, INBOX_BATCH);
    try {
      await exclusive(state, 'processing-inbox', () =>
        syncActivities(state.input).handleInboxEvents({ connectionId: state.input.connectionId, events: batch, workflowId: info.workflowId, runId: info.runId }),
      );
    } catch (err) {
      // The batch stays queued for the next activity; events already applied are deduplicated by event id.
      if (isLeaseLost(err)) continue;
      throw err;
    }
    // Removed only after the activity returned: a crash mid-batch replays the batch, deduplicated by event id.
    state.inbox.splice(0, batch.length);
    state.totals.inboxEvents += batch.length;
  }
}
