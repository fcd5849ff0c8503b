import { z } from 'zod';
import { assertFenceHeld, fenceHolds, type Lease } from './connection-leases';
import { execute, queryRows, type Queryable } from './pool';

/** One system's record as we left it: the canonical hash (bidirectional entities, see activities/echo-guard.ts). */
export interface MirrorState {
  system: string;
  recordKey: string;
  hash: string;
}

export async function getMirrorStates(db: Queryable, connectionId: string, system: string, recordKeys: string[]): Promise<Map<string, string>> {
  if (recordKeys.length === 0) return new Map();
  const rows = await queryRows(
    db,
    'get mirror states',
    `SELECT record_key, hash FROM mirror_states WHERE connection_id = $1 AND system = $2 AND record_key = ANY($3)`,
    [connectionId, system, recordKeys],
    z.object({ record_key: z.string(), hash: z.string() }),
  );
  return new Map(rows.map((r) => [r.record_key, r.hash]));
}

/**
 * Both sides of one entity in one statement: never one side's state without the other's. With a lease, only while it
 * is current (like intents and links): a stale attempt's states would make the next holder take records for echoes.
 */
export async function setMirrorStates(db: Queryable, connectionId: string, states: MirrorState[], lease?: Lease): Promise<void> {
  // ON CONFLICT cannot touch one row twice in a statement: the last state of a (system, key) wins.
  const unique = [...new Map(states.map((s) => [`${s.system}\u0000${s.recordKey}`, s])).values()];
  if (unique.length === 0) return;
  const written = await execute(
    db,
    'set mirror states',
    `INSERT INTO mirror_states (connection_id, system, record_key, hash, updated_at)
     SELECT $1, s.system, s.record_key, s.hash, now() FROM unnest($2::text[], $3::text[], $4::text[]) AS s(system, record_key, hash)
     WHERE ${fenceHolds('$1', '$5')}
     ON CONFLICT (connection_id, system, record_key) DO UPDATE SET hash = EXCLUDED.hash, updated_at = now()`,
    [connectionId, unique.map((s) => s.system), unique.map((s) => s.recordKey), unique.map((s) => s.hash), lease?.fence ?? null],
  );
  assertFenceHeld(written, lease, 'mirror states');
}

/**
 * Links of the reverse direction that point at these records: `targetIds` on `targetSystem` (this flow's source)
 * came from source keys on `sourceSystem` (this flow's target). Returns target id -> source key.
 */
export async function findReverseLinks(db: Queryable, connectionId: string, sourceSystem: string, targetSystem: string, targetIds: string[]): Promise<Map<string, string>> {
  if (targetIds.length === 0) return new Map();
  const rows = await queryRows(
    db,
    'find reverse links',
    `SELECT target_id, source_key FROM record_links
     WHERE connection_id = $1 AND source_system = $2 AND target_system = $3 AND state = 'linked' AND target_id = ANY($4)`,
    [connectionId, sourceSystem, targetSystem, targetIds],
    z.object({ target_id: z.string(), source_key: z.string() }),
  );
  return new Map(rows.map((r) => [r.target_id, r.source_key]));
}
