import { ActivityCancellationType, proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { SyncActivities } from '../activities';
import type { SyncInput } from '../core/sync-types';
import { TRANSIENT_RETRY } from '../core/transient-retry';

/** A killed worker's activity is noticed within this; what a connection's sync uses unless its input says otherwise. */
export const DEFAULT_HEARTBEAT_TIMEOUT = '20 seconds';

function options(input: Pick<SyncInput, 'activityHeartbeatTimeout'>): ActivityOptions {
  return {
    startToCloseTimeout: '30 minutes',
    // Windows heartbeat; a killed worker is noticed within the heartbeat timeout, not after startToClose.
    heartbeatTimeout: input.activityHeartbeatTimeout ?? DEFAULT_HEARTBEAT_TIMEOUT,
    // Transient partner errors retry without limit (a record is never dropped); permanent ones are dead-lettered by
    // the activity itself, and configuration errors are thrown non-retryable.
    retry: { initialInterval: TRANSIENT_RETRY.initialMs, backoffCoefficient: TRANSIENT_RETRY.coefficient, maximumInterval: TRANSIENT_RETRY.maximumMs },
  };
}

/**
 * The sync's activities, with the heartbeat timeout its input carries (the same for every run of a connection:
 * continue-as-new passes the input on). Deterministic: the options come from the workflow's input alone.
 */
export function syncActivities(input: Pick<SyncInput, 'activityHeartbeatTimeout'>) {
  const { syncWindow, handleInboxEvents, replayDeadLetters } = proxyActivities<SyncActivities>(options(input));
  /**
   * The long-lived poll: its retries are the schedule's timer. When a signal needs the connection the workflow cancels
   * it and waits until the server reports it closed (cancelled in backoff at once, or the running attempt finished or
   * saw the cancel in a heartbeat), so no attempt can still be writing when inbox or replay work starts.
   */
  const { pollFlows } = proxyActivities<SyncActivities>({ ...options(input), cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED });
  return { syncWindow, handleInboxEvents, replayDeadLetters, pollFlows };
}
