/** activities/apply-records.ts writes a page with this many lanes; the bare loop must match it to be a fair baseline. */
export const APPLY_CONCURRENCY = 8;
