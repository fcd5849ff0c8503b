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
 * The poll's retry policy. Every failure the poll itself throws carries its own delay (activities/poll-flows.ts
 * `asRetry`: the transient backoff by failure streak, a 429's Retry-After, the next poll time), so the server's
 * policy only times what the activity could not report: a worker that died or hung, noticed after the heartbeat
 * timeout. Its attempt number counts every idle poll, so the exponential policy answered any crash with its 2 min
 * maximum on top of the heartbeat timeout, and during a first sync each further crash waited longer (1, 2, 4 ... 120
 * s: 20 crashes in a 5,000-record sync took the fault suite's R1 past 25 minutes). 1 s, constant: the heartbeat
 * timeout already spaces crash-after-crash attempts (one per timeout at most). maximumInterval only bounds the
 * server's own intervals (constant 1 s here); the poll's delays are not capped by it
 * (https://github.com/temporalio/temporal/pull/6063), and a long one keeps older servers from capping a daily poll.
 */
const POLL_CRASH_RETRY = { initialInterval: '1 second', backoffCoefficient: 1, maximumInterval: '31 days' } as const;

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
  const { pollFlows } = proxyActivities<SyncActivities>({ ...options(input), retry: POLL_CRASH_RETRY, cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED });
  return { syncWindow, handleInboxEvents, replayDeadLetters, pollFlows };
}
