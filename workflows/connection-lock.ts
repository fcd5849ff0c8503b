import { condition } from '@temporalio/workflow';
import type { SyncState } from './sync-state';

/**
 * Runs `fn` holding the connection: polls, inbox batches and replays never write for one connection at once. The lock
 * is taken inside the condition, as it is seen free, so two callers woken by the same release cannot both enter.
 */
export async function exclusive<T>(state: SyncState, activity: SyncState['activity'], fn: () => Promise<T>): Promise<T> {
  state.waiting += 1;
  try {
    await condition(() => {
      if (state.busy) return false;
      state.busy = true;
      return true;
    });
  } finally {
    state.waiting -= 1;
  }
  state.activity = activity;
  try {
    return await fn();
  } finally {
    state.busy = false;
    state.activity = 'idle';
  }
}
