import { z } from 'zod';
import { execute, queryRows, type Queryable } from './pool';

export interface AuditEvent {
  connectionId: string;
  flow: string;
  recordKey: string;
  direction: string;
  action: 'create' | 'update' | 'link' | 'skip' | 'dead_letter' | 'replay' | 'apply' | 'wait' | 'conflict';
  outcome: 'ok' | 'failed' | 'already_applied';
  targetId?: string | null;
  workflowId?: string;
  runId?: string;
  activityAttempt?: number;
  errorCode?: string | null;
  errorBody?: string | null;
  detail?: Record<string, unknown>;
}

/** Appends rows in one statement (a page of effects is one round trip). */
export async function appendAuditEvents(db: Queryable, events: AuditEvent[]): Promise<void> {
  if (events.length === 0) return;
  const insert = auditInsert(events, 0);
  await execute(db, 'append audit events', insert.sql, insert.values);
}

/**
 * The INSERT of `events` with placeholders numbered after the caller's first `offset` parameters, for statements
 * that write audit rows together with another table's row (one round trip, never one without the other).
 */
export function auditInsert(events: AuditEvent[], offset: number): { sql: string; values: unknown[] } {
  const cols = 14;
  const values: unknown[] = [];
  const tuples = events.map((e, i) => {
    values.push(
      e.connectionId,
      e.flow,
      e.recordKey,
      e.direction,
      e.action,
      e.outcome,
      e.targetId ?? null,
      e.workflowId ?? null,
      e.runId ?? null,
      e.activityAttempt ?? null,
      e.errorCode ?? null,
      e.errorBody ?? null,
      e.detail ? JSON.stringify(e.detail) : null,
      new Date(),
    );
    return `(${Array.from({ length: cols }, (_, j) => `$${offset + i * cols + j + 1}`).join(', ')})`;
  });
  return {
    sql: `INSERT INTO audit_events (connection_id, flow, record_key, direction, action, outcome, target_id, workflow_id, run_id, activity_attempt, error_code, error_body, detail, created_at)
     VALUES ${tuples.join(', ')}`,
    values,
  };
}

const auditRow = z.object({
  id: z.coerce.number(),
  flow: z.string(),
  record_key: z.string(),
  direction: z.string(),
  action: z.string(),
  outcome: z.string(),
  target_id: z.string().nullable(),
  workflow_id: z.string().nullable(),
  run_id: z.string().nullable(),
  activity_attempt: z.number().nullable(),
  error_code: z.string().nullable(),
  error_body: z.string().nullable(),
  /** What the flow or engine added (e.g. why a task went to a fallback approver). */
  detail: z.record(z.string(), z.unknown()).nullable(),
  created_at: z.date(),
});
export type AuditRow = z.infer<typeof auditRow>;

export async function listAuditEvents(
  db: Queryable,
  q: { connectionId: string; recordKey?: string; afterId?: number; limit?: number },
): Promise<AuditRow[]> {
  return queryRows(
    db,
    'list audit events',
    `SELECT id, flow, record_key, direction, action, outcome, target_id, workflow_id, run_id, activity_attempt, error_code, error_body, detail, created_at
     FROM audit_events WHERE connection_id = $1 AND ($2::text IS NULL OR record_key = $2) AND id > $3 ORDER BY id LIMIT $4`,
    [q.connectionId, q.recordKey ?? null, q.afterId ?? 0, q.limit ?? 100],
    auditRow,
  );
}
