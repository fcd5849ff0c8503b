import { z } from 'zod';
import { execute, queryRows, type Queryable } from './pool';

/** Data access for roster_entries: one row per (connection, employee), written by the roster flow. */
export const rosterStatusSchema = z.enum(['matched', 'no-asana-account', 'inactive']);
export type RosterStatus = z.infer<typeof rosterStatusSchema>;

const rosterRow = z.object({
  emplid: z.string(),
  oprid: z.string().nullable(),
  name: z.string(),
  email: z.string().nullable(),
  empl_status: z.string().nullable(),
  asana_user_gid: z.string().nullable(),
  asana_user_name: z.string().nullable(),
  status: rosterStatusSchema,
  source_updated_at: z.date(),
  updated_at: z.date(),
});
export type RosterEntry = z.infer<typeof rosterRow>;

export interface RosterEntryInput {
  connectionId: string;
  emplid: string;
  oprid: string | null;
  name: string;
  email: string | null;
  emplStatus: string | null;
  asanaUserGid: string | null;
  asanaUserName: string | null;
  status: RosterStatus;
  sourceUpdatedAt: string;
}

/** Writes an employee's current entry; an older copy of the row (an overlap re-read, a replay) never overwrites a newer one. */
export async function upsertRosterEntry(db: Queryable, e: RosterEntryInput): Promise<void> {
  await execute(
    db,
    'upsert roster entry',
    `INSERT INTO roster_entries (connection_id, emplid, oprid, name, email, empl_status, asana_user_gid, asana_user_name, status, source_updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (connection_id, emplid) DO UPDATE SET
       oprid = EXCLUDED.oprid, name = EXCLUDED.name, email = EXCLUDED.email, empl_status = EXCLUDED.empl_status,
       asana_user_gid = EXCLUDED.asana_user_gid, asana_user_name = EXCLUDED.asana_user_name, status = EXCLUDED.status,
       source_updated_at = EXCLUDED.source_updated_at, updated_at = now()
     WHERE roster_entries.source_updated_at <= EXCLUDED.source_updated_at`,
    [e.connectionId, e.emplid, e.oprid, e.name, e.email, e.emplStatus, e.asanaUserGid, e.asanaUserName, e.status, e.sourceUpdatedAt],
  );
}

/** The whole roster of a connection, by EMPLID (a few thousand rows at most: one read per window). */
export async function listRoster(db: Queryable, connectionId: string): Promise<RosterEntry[]> {
  return queryRows(
    db,
    'list roster',
    `SELECT emplid, oprid, name, email, empl_status, asana_user_gid, asana_user_name, status, source_updated_at, updated_at
     FROM roster_entries WHERE connection_id = $1 ORDER BY emplid`,
    [connectionId],
    rosterRow,
  );
}

/** A new Asana match for an employee whose PeopleSoft row did not change (an account created, renamed or removed). */
export async function updateRosterMatch(
  db: Queryable,
  connectionId: string,
  emplid: string,
  match: { status: RosterStatus; asanaUserGid: string | null; asanaUserName: string | null },
): Promise<void> {
  await execute(
    db,
    'update roster match',
    `UPDATE roster_entries SET status = $3, asana_user_gid = $4, asana_user_name = $5, updated_at = now() WHERE connection_id = $1 AND emplid = $2`,
    [connectionId, emplid, match.status, match.asanaUserGid, match.asanaUserName],
  );
}

/** Entries written in [from, to) (our clock): what the roster-project flow reads as one window. */
export async function listRosterChangedBetween(db: Queryable, connectionId: string, from: Date, to: Date): Promise<RosterEntry[]> {
  return queryRows(
    db,
    'list roster changes',
    `SELECT emplid, oprid, name, email, empl_status, asana_user_gid, asana_user_name, status, source_updated_at, updated_at
     FROM roster_entries WHERE connection_id = $1 AND updated_at >= $2 AND updated_at < $3 ORDER BY updated_at, emplid`,
    [connectionId, from, to],
    rosterRow,
  );
}
