import { z } from 'zod';
import { assertFenceHeld, fenceHolds, type Lease } from './connection-leases';
import { execute, queryRows, type Queryable } from './pool';

const waitingRow = z.object({
  connection_id: z.string(),
  flow: z.string(),
  record_key: z.string(),
  missing_key: z.string(),
  reason: z.string(),
  source_record: z.unknown(),
  attempts: z.number(),
  first_seen_at: z.date(),
  last_tried_at: z.date(),
});
export type WaitingRecord = z.infer<typeof waitingRow>;

export interface WaitingInput {
  connectionId: string;
  flow: string;
  recordKey: string;
  missingKey: string;
  reason: string;
  sourceRecord: unknown;
}

/**
 * Notes (or renews) a record's wait; keeps the first time it was seen waiting, which bounds the wait. Returns that
 * first time and whether the record began waiting now. With a lease, only while it is current (like intents and
 * links): a stale attempt must not bring back a wait the newer one settled.
 */
export async function upsertWaiting(db: Queryable, w: WaitingInput, lease?: Lease): Promise<{ firstSeenAt: Date; added: boolean }> {
  const rows = await queryRows(
    db,
    'upsert waiting record',
    `INSERT INTO waiting_records (connection_id, flow, record_key, missing_key, reason, source_record)
     SELECT $1, $2, $3, $4, $5, $6 WHERE ${fenceHolds('$1', '$7')}
     ON CONFLICT (connection_id, flow, record_key)
     DO UPDATE SET missing_key = $4, reason = $5, source_record = $6, attempts = waiting_records.attempts + 1, last_tried_at = now()
     RETURNING first_seen_at, (xmax = 0) AS added`,
    [w.connectionId, w.flow, w.recordKey, w.missingKey, w.reason, JSON.stringify(w.sourceRecord), lease?.fence ?? null],
    z.object({ first_seen_at: z.date(), added: z.boolean() }),
  );
  assertFenceHeld(rows.length, lease, 'waiting record');
  return { firstSeenAt: rows[0]!.first_seen_at, added: rows[0]!.added };
}

/** With a lease, only while it is current: a stale attempt must not end a wait the newer attempt still holds. */
export async function deleteWaiting(db: Queryable, connectionId: string, flow: string, recordKeys: string[], lease?: Lease): Promise<void> {
  if (recordKeys.length === 0) return;
  await execute(
    db,
    'delete waiting records',
    `DELETE FROM waiting_records WHERE connection_id = $1 AND flow = $2 AND record_key = ANY($3) AND ${fenceHolds('$1', '$4')}`,
    [connectionId, flow, recordKeys, lease?.fence ?? null],
  );
}

/** The connection's flows that have records waiting (one query for a poll of every flow; most have none). */
export async function flowsWithWaiting(db: Queryable, connectionId: string): Promise<Set<string>> {
  const rows = await queryRows(db, 'list flows with waiting records', `SELECT DISTINCT flow FROM waiting_records WHERE connection_id = $1`, [connectionId], z.object({ flow: z.string() }));
  return new Set(rows.map((r) => r.flow));
}

/** The oldest-tried first, so a long queue is worked through fairly across polls. */
export async function listWaiting(db: Queryable, connectionId: string, flow: string, limit = 500): Promise<WaitingRecord[]> {
  return queryRows(
    db,
    'list waiting records',
    `SELECT * FROM waiting_records WHERE connection_id = $1 AND flow = $2 ORDER BY last_tried_at, record_key LIMIT $3`,
    [connectionId, flow, limit],
    waitingRow,
  );
}

/** For status: how many records of the flow wait, and a few distinct missing keys. */
export async function waitingSnapshot(db: Queryable, connectionId: string, flow: string): Promise<{ count: number; missingKeys: string[] }> {
  const rows = await queryRows(
    db,
    'waiting snapshot',
    `SELECT count(*)::int AS count,
            COALESCE((SELECT array_agg(k) FROM (SELECT DISTINCT missing_key AS k FROM waiting_records WHERE connection_id = $1 AND flow = $2 ORDER BY 1 LIMIT 10) s), '{}') AS missing_keys
     FROM waiting_records WHERE connection_id = $1 AND flow = $2`,
    [connectionId, flow],
    z.object({ count: z.number(), missing_keys: z.array(z.string()) }),
  );
  return { count: rows[0]?.count ?? 0, missingKeys: rows[0]?.missing_keys ?? [] };
}
