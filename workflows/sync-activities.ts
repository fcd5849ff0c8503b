import { ActivityCancellationType, proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { SyncActivities } from '../activities';
import { TRANSIENT_RETRY } from '../core/transient-retry';

const options: ActivityOptions = {
  startToCloseTimeout: '30 minutes',
  // Windows heartbeat; a killed worker is noticed within the heartbeat timeout, not after startToClose.
  heartbeatTimeout: '20 seconds',
  // Transient partner errors retry without limit (a record is never dropped); permanent ones are dead-lettered by
  // the activity itself, and configuration errors are thrown non-retryable.
  retry: { initialInterval: TRANSIENT_RETRY.initialMs, backoffCoefficient: TRANSIENT_RETRY.coefficient, maximumInterval: TRANSIENT_RETRY.maximumMs },
};

export const { syncWindow, handleInboxEvents, replayDeadLetters } = proxyActivities<SyncActivities>(options);

/**
 * The long-lived poll: its retries are the schedule's timer. When a signal needs the connection the workflow cancels
 * it and waits until the server reports it closed (cancelled in backoff at once, or the running attempt finished or
 * saw the cancel in a heartbeat), so no attempt can still be writing when inbox or replay work starts.
 */
export const { pollFlows } = proxyActivities<SyncActivities>({ ...options, cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED });
