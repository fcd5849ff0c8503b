import { z } from 'zod';
import { execute, queryRows, type Queryable } from './pool';

/** Data access for poll_ledgers: one row per connection, written only by its poll activity (see the migration). */
const verifiedWindow = z.object({ from: z.string(), to: z.string() });
const ledgerRow = z.object({
  connection_id: z.string(),
  run_id: z.string(),
  verified: z.record(z.string(), verifiedWindow),
  unreported_polls: z.number().int(),
  last_poll_at: z.date().nullable(),
  next_poll_at: z.date().nullable(),
  schedule: z.string().nullable(),
});
export type PollLedger = z.infer<typeof ledgerRow>;
export type VerifiedWindows = PollLedger['verified'];

export async function getPollLedger(db: Queryable, connectionId: string): Promise<PollLedger | undefined> {
  const rows = await queryRows(db, 'get poll ledger', 'SELECT * FROM poll_ledgers WHERE connection_id = $1', [connectionId], ledgerRow);
  return rows[0];
}

/**
 * An idle poll: counts it, moves the next due time, and records the windows it found nothing to write in. Windows of
 * the same run are merged flow by flow; another run's are replaced (its watermarks are not this run's).
 */
export async function recordIdlePoll(
  db: Queryable,
  p: { connectionId: string; runId: string; verified: VerifiedWindows; polledAt: Date; nextPollAt: Date; schedule: string },
): Promise<void> {
  await execute(
    db,
    'record idle poll',
    `INSERT INTO poll_ledgers (connection_id, run_id, verified, unreported_polls, last_poll_at, next_poll_at, schedule)
     VALUES ($1, $2, $3, 1, $4, $5, $6)
     ON CONFLICT (connection_id) DO UPDATE SET
       verified = CASE WHEN poll_ledgers.run_id = EXCLUDED.run_id THEN poll_ledgers.verified || EXCLUDED.verified ELSE EXCLUDED.verified END,
       run_id = EXCLUDED.run_id, unreported_polls = poll_ledgers.unreported_polls + 1, last_poll_at = EXCLUDED.last_poll_at,
       next_poll_at = EXCLUDED.next_poll_at, schedule = EXCLUDED.schedule, updated_at = now()`,
    [p.connectionId, p.runId, JSON.stringify(p.verified), p.polledAt, p.nextPollAt, p.schedule],
  );
}

/**
 * A poll that returns to the workflow: hands over the idle polls counted since the last one (returned, and reset to 0
 * in the same statement) and sets the next due time. Should the result then be lost, those few idle polls go
 * uncounted: a status counter, not a record of writes.
 */
export async function takeUnreportedPolls(db: Queryable, p: { connectionId: string; runId: string; polledAt: Date; nextPollAt: Date; schedule: string }): Promise<number> {
  const rows = await queryRows(
    db,
    'take unreported polls',
    `WITH old AS (SELECT unreported_polls FROM poll_ledgers WHERE connection_id = $1 FOR UPDATE),
     upsert AS (
       INSERT INTO poll_ledgers (connection_id, run_id, unreported_polls, last_poll_at, next_poll_at, schedule) VALUES ($1, $2, 0, $3, $4, $5)
       ON CONFLICT (connection_id) DO UPDATE SET
         verified = CASE WHEN poll_ledgers.run_id = EXCLUDED.run_id THEN poll_ledgers.verified ELSE '{}'::jsonb END,
         run_id = EXCLUDED.run_id, unreported_polls = 0, last_poll_at = EXCLUDED.last_poll_at, next_poll_at = EXCLUDED.next_poll_at,
         schedule = EXCLUDED.schedule, updated_at = now()
     )
     SELECT coalesce((SELECT unreported_polls FROM old), 0) AS taken`,
    [p.connectionId, p.runId, p.polledAt, p.nextPollAt, p.schedule],
    z.object({ taken: z.number().int() }),
  );
  return rows[0]!.taken;
}
