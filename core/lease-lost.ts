/**
 * The failure type of an activity attempt that no longer owns its connection: a newer attempt took the connection's
 * write lease, or this attempt could not reach Temporal for a heartbeat timeout. Non-retryable: the newer attempt
 * (or the next poll) owns the work, so the workflow treats it as an interruption, never as a flow error.
 */
export const LEASE_LOST = 'LeaseLost';
