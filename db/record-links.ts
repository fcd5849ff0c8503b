import { z } from 'zod';
import { assertFenceHeld, fenceHolds, type Lease } from './connection-leases';
import { execute, queryRows, type Queryable } from './pool';

const linkRow = z.object({
  connection_id: z.string(),
  flow: z.string(),
  source_system: z.string(),
  source_key: z.string(),
  target_system: z.string(),
  target_id: z.string().nullable(),
  state: z.enum(['intent', 'linked']),
  last_hash: z.string().nullable(),
  intent_at: z.date(),
});
export type RecordLink = z.infer<typeof linkRow>;

export interface LinkKey {
  connectionId: string;
  sourceSystem: string;
  sourceKey: string;
  targetSystem: string;
}

export async function getLinks(db: Queryable, k: Omit<LinkKey, 'sourceKey'>, sourceKeys: string[]): Promise<Map<string, RecordLink>> {
  if (sourceKeys.length === 0) return new Map();
  const rows = await queryRows(
    db,
    'get record links',
    `SELECT connection_id, flow, source_system, source_key, target_system, target_id, state, last_hash, intent_at FROM record_links
     WHERE connection_id = $1 AND source_system = $2 AND target_system = $3 AND source_key = ANY($4)`,
    [k.connectionId, k.sourceSystem, k.targetSystem, sourceKeys],
    linkRow,
  );
  return new Map(rows.map((r) => [r.source_key, r]));
}

/**
 * Written and committed before the create call: if we crash after the partner created the record, we know to look.
 * With a lease, only while it is current: an attempt that lost its connection never reaches the create.
 */
export async function recordIntent(db: Queryable, k: LinkKey, flow: string, lease?: Lease): Promise<void> {
  const written = await execute(
    db,
    'record intent',
    `INSERT INTO record_links (connection_id, flow, source_system, source_key, target_system, state) SELECT $1, $2, $3, $4, $5, 'intent' WHERE ${fenceHolds('$1', '$6')}
     ON CONFLICT (connection_id, source_system, source_key, target_system) DO UPDATE SET updated_at = now()`,
    [k.connectionId, flow, k.sourceSystem, k.sourceKey, k.targetSystem, lease?.fence ?? null],
  );
  assertFenceHeld(written, lease, 'intent');
}

/**
 * The intents of a page in one statement, committed before any create of that page: a crash after the partner
 * created one of them leaves its intent, so the next attempt looks before creating. With a lease, all or none: a
 * stale attempt's page is refused as a whole (and none of its creates is sent).
 */
export async function recordIntents(db: Queryable, k: Omit<LinkKey, 'sourceKey'>, flow: string, sourceKeys: readonly string[], lease?: Lease): Promise<void> {
  // ON CONFLICT cannot touch one row twice in a statement: each key once.
  const keys = [...new Set(sourceKeys)];
  if (keys.length === 0) return;
  const written = await execute(
    db,
    'record intents',
    `INSERT INTO record_links (connection_id, flow, source_system, source_key, target_system, state)
     SELECT $1, $2, $3, key, $4, 'intent' FROM unnest($5::text[]) AS key WHERE ${fenceHolds('$1', '$6')}
     ON CONFLICT (connection_id, source_system, source_key, target_system) DO UPDATE SET updated_at = now()`,
    [k.connectionId, flow, k.sourceSystem, k.targetSystem, keys, lease?.fence ?? null],
  );
  assertFenceHeld(written, lease, 'intents');
}

/**
 * Takes back intents of records whose create this attempt never sent (it failed before reaching them), so the next
 * attempt does not search the target for them. Only for keys that had no row before this attempt recorded one:
 * an older intent may stand for a create an earlier attempt sent. Only while `lease` is current.
 */
export async function dropUnsentIntents(db: Queryable, k: Omit<LinkKey, 'sourceKey'>, sourceKeys: readonly string[], lease?: Lease): Promise<number> {
  if (sourceKeys.length === 0) return 0;
  return execute(
    db,
    'drop unsent intents',
    `DELETE FROM record_links WHERE connection_id = $1 AND source_system = $2 AND target_system = $3 AND source_key = ANY($4::text[])
       AND state = 'intent' AND ${fenceHolds('$1', '$5')}`,
    [k.connectionId, k.sourceSystem, k.targetSystem, [...sourceKeys], lease?.fence ?? null],
  );
}

/** Reverse lookup for the return path: which source record does this target id belong to? */
export async function findLinkByTarget(db: Queryable, connectionId: string, targetSystem: string, targetId: string): Promise<RecordLink | undefined> {
  const rows = await queryRows(
    db,
    'find link by target',
    `SELECT connection_id, flow, source_system, source_key, target_system, target_id, state, last_hash, intent_at FROM record_links
     WHERE connection_id = $1 AND target_system = $2 AND target_id = $3`,
    [connectionId, targetSystem, targetId],
    linkRow,
  );
  return rows[0];
}
