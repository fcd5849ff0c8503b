import { type AuditEvent } from './audit-events';
import { assertFenceHeld, fenceHolds, type Lease } from './connection-leases';
import { execute, type Queryable } from './pool';
import { type LinkKey } from './record-links';

/**
 * Completes a link and appends its audit row in one statement: one round trip, and never a link without its
 * audit row (or the reverse) whatever crashes. With a lease, only while it is current (connection-leases.ts).
 */
export async function linkWithAudit(db: Queryable, k: LinkKey, flow: string, targetId: string, hash: string, audit: AuditEvent, lease?: Lease): Promise<void> {
  const written = await execute(
    db,
    'link with audit',
    `WITH link AS (
       INSERT INTO record_links (connection_id, flow, source_system, source_key, target_system, target_id, state, last_hash, linked_at)
       SELECT $1, $2, $3, $4, $5, $6, 'linked', $7, now() WHERE ${fenceHolds('$1', '$15')}
       ON CONFLICT (connection_id, source_system, source_key, target_system)
       DO UPDATE SET target_id = $6, state = 'linked', last_hash = $7, linked_at = COALESCE(record_links.linked_at, now()), updated_at = now()
       RETURNING 1)
     INSERT INTO audit_events (connection_id, flow, record_key, direction, action, outcome, target_id, workflow_id, run_id, activity_attempt, detail)
     SELECT $1, $2, $4, $8, $9, $10, $6, $11, $12, $13, $14 FROM link`,
    [
      k.connectionId,
      flow,
      k.sourceSystem,
      k.sourceKey,
      k.targetSystem,
      targetId,
      hash,
      audit.direction,
      audit.action,
      audit.outcome,
      audit.workflowId ?? null,
      audit.runId ?? null,
      audit.activityAttempt ?? null,
      audit.detail ? JSON.stringify(audit.detail) : null,
      lease?.fence ?? null,
    ],
  );
  assertFenceHeld(written, lease, 'link');
}

/** One completed write of a batch: its link and the audit row that says what happened. */
export interface LinkEffect {
  sourceKey: string;
  targetId: string;
  hash: string;
  action: 'create' | 'update' | 'link';
  detail?: Record<string, unknown>;
  /** When the write completed at the partner (the audit row's time, not the batch's). */
  at: Date;
}

/** What every effect of a batch shares: the connection, flow, systems, and the attempt that wrote them. */
export interface LinkBatchBase extends Omit<LinkKey, 'sourceKey'> {
  flow: string;
  direction: string;
  workflowId?: string;
  runId?: string;
  activityAttempt?: number;
}

/**
 * Completes the links of a batch of writes and appends their audit rows (outcome ok, in the batch's order) in one
 * statement: never a link without its audit row, whatever crashes. With a lease, all or none: a stale attempt's
 * batch is refused as a whole. A key may appear once per batch (ON CONFLICT touches each row once).
 */
export async function linksWithAudit(db: Queryable, base: LinkBatchBase, effects: readonly LinkEffect[], lease?: Lease): Promise<void> {
  if (effects.length === 0) return;
  const written = await execute(
    db,
    'links with audit',
    `WITH input AS (
       SELECT * FROM unnest($5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::timestamptz[])
         WITH ORDINALITY AS i(source_key, target_id, last_hash, action, detail, created_at, n)),
     link AS (
       INSERT INTO record_links (connection_id, flow, source_system, source_key, target_system, target_id, state, last_hash, linked_at)
       SELECT $1, $2, $3, source_key, $4, target_id, 'linked', last_hash, now() FROM input WHERE ${fenceHolds('$1', '$15')}
       ON CONFLICT (connection_id, source_system, source_key, target_system)
       DO UPDATE SET target_id = EXCLUDED.target_id, state = 'linked', last_hash = EXCLUDED.last_hash,
         linked_at = COALESCE(record_links.linked_at, now()), updated_at = now()
       RETURNING source_key)
     INSERT INTO audit_events (connection_id, flow, record_key, direction, action, outcome, target_id, workflow_id, run_id, activity_attempt, detail, created_at)
     SELECT $1, $2, i.source_key, $11, i.action, 'ok', i.target_id, $12, $13, $14, i.detail::jsonb, i.created_at
     FROM input i JOIN link l ON l.source_key = i.source_key ORDER BY i.n`,
    [
      base.connectionId,
      base.flow,
      base.sourceSystem,
      base.targetSystem,
      effects.map((e) => e.sourceKey),
      effects.map((e) => e.targetId),
      effects.map((e) => e.hash),
      effects.map((e) => e.action),
      effects.map((e) => (e.detail ? JSON.stringify(e.detail) : null)),
      effects.map((e) => e.at),
      base.direction,
      base.workflowId ?? null,
      base.runId ?? null,
      base.activityAttempt ?? null,
      lease?.fence ?? null,
    ],
  );
  assertFenceHeld(written, lease, 'links');
}
