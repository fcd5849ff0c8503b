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
