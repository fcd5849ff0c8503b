import { z } from 'zod';
import { auditInsert, type AuditEvent } from './audit-events';
import { execute, queryRows, type Queryable } from './pool';

/** Which of `eventIds` this connection has already handled: one round trip for a whole inbox batch. */
export async function listSeenEventIds(db: Queryable, connectionId: string, eventIds: string[]): Promise<Set<string>> {
  if (eventIds.length === 0) return new Set();
  const rows = await queryRows(
    db,
    'list seen webhook events',
    'SELECT event_id FROM webhook_events_seen WHERE connection_id = $1 AND event_id = ANY($2::text[])',
    [connectionId, eventIds],
    z.object({ event_id: z.string() }),
  );
  return new Set(rows.map((r) => r.event_id));
}

/**
 * Marks an event handled and appends its audit row in one statement, after its effect: a crash before this replays
 * the event (the partner write is idempotent), a crash after it never applies the event again, and there is never
 * a seen mark without its audit row or the reverse.
 */
export async function markEventSeen(db: Queryable, connectionId: string, eventId: string, audit: AuditEvent): Promise<void> {
  const insert = auditInsert([audit], 2);
  await execute(
    db,
    'mark webhook event seen',
    `WITH seen AS (INSERT INTO webhook_events_seen (connection_id, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING)
     ${insert.sql}`,
    [connectionId, eventId, ...insert.values],
  );
}
