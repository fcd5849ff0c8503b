import { z } from 'zod';
import { execute, queryRows, type Queryable } from './pool';

/** Data access for housekeeping_runs: one row per (connection, task), written by the connection's poll activity. */
const runRow = z.object({
  task: z.string(),
  last_success_at: z.date().nullable(),
  last_attempt_at: z.date(),
  last_outcome: z.string().nullable(),
  last_error: z.string().nullable(),
});
export type HousekeepingRun = z.infer<typeof runRow>;

export async function listHousekeepingRuns(db: Queryable, connectionId: string): Promise<Map<string, HousekeepingRun>> {
  const rows = await queryRows(db, 'list housekeeping runs', 'SELECT task, last_success_at, last_attempt_at, last_outcome, last_error FROM housekeeping_runs WHERE connection_id = $1', [connectionId], runRow);
  return new Map(rows.map((r) => [r.task, r]));
}

/** A run's result: success moves last_success_at (the cadence counts from it); a failure keeps it, so the next poll tries again. */
export async function recordHousekeepingRun(db: Queryable, r: { connectionId: string; task: string; at: Date; outcome?: string; error?: string }): Promise<void> {
  await execute(
    db,
    'record housekeeping run',
    `INSERT INTO housekeeping_runs (connection_id, task, last_success_at, last_attempt_at, last_outcome, last_error)
     VALUES ($1, $2, CASE WHEN $5::text IS NULL THEN $3::timestamptz END, $3, $4, $5)
     ON CONFLICT (connection_id, task) DO UPDATE SET
       last_success_at = COALESCE(EXCLUDED.last_success_at, housekeeping_runs.last_success_at),
       last_attempt_at = EXCLUDED.last_attempt_at,
       last_outcome = COALESCE(EXCLUDED.last_outcome, housekeeping_runs.last_outcome),
       last_error = EXCLUDED.last_error`,
    [r.connectionId, r.task, r.at, r.outcome ?? null, r.error ?? null],
  );
}
