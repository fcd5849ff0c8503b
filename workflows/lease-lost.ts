import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import { LEASE_LOST } from '../core/lease-lost';

/**
 * An activity that failed because it no longer owned its connection (activities/write-fence.ts): a newer attempt
 * owns the work, or, when none exists, the next activity will. An interruption to retry, never a flow's error.
 */
export function isLeaseLost(err: unknown): boolean {
  return err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === LEASE_LOST;
}
