import { z } from 'zod';
import { execute, queryRows, type Queryable } from './pool';

export interface DeadLetterInput {
  connectionId: string;
  flow: string;
  recordKey: string;
  errorCode?: string;
  errorMessage: string;
  partnerStatus?: number;
  rawResponse?: string;
  sourceRecord?: unknown;
}

/** One open dead letter per record: a second failure bumps the attempt count and keeps the newest raw answer. */
export async function upsertDeadLetter(db: Queryable, d: DeadLetterInput): Promise<void> {
  await execute(
    db,
    'upsert dead letter',
    `INSERT INTO dead_letters (connection_id, flow, record_key, error_code, error_message, partner_status, raw_response, source_record)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (connection_id, flow, record_key) WHERE status = 'open'
     DO UPDATE SET error_code = $4, error_message = $5, partner_status = $6, raw_response = $7, source_record = $8,
                   attempts = dead_letters.attempts + 1, last_failed_at = now()`,
    [d.connectionId, d.flow, d.recordKey, d.errorCode ?? null, d.errorMessage, d.partnerStatus ?? null, d.rawResponse ?? null, d.sourceRecord === undefined ? null : JSON.stringify(d.sourceRecord)],
  );
}

export async function resolveDeadLetter(db: Queryable, connectionId: string, flow: string, recordKey: string): Promise<void> {
  await execute(
    db,
    'resolve dead letter',
    `UPDATE dead_letters SET status = 'resolved', resolved_at = now() WHERE connection_id = $1 AND flow = $2 AND record_key = $3 AND status = 'open'`,
    [connectionId, flow, recordKey],
  );
}

const deadLetterRow = z.object({
  id: z.coerce.number(),
  connection_id: z.string(),
  flow: z.string(),
  record_key: z.string(),
  status: z.enum(['open', 'resolved']),
  error_code: z.string().nullable(),
  error_message: z.string(),
  partner_status: z.number().nullable(),
  raw_response: z.string().nullable(),
  source_record: z.unknown().nullable(),
  attempts: z.number(),
  first_failed_at: z.date(),
  last_failed_at: z.date(),
});
export type DeadLetter = z.infer<typeof deadLetterRow>;

export interface DeadLetterFilter {
  connectionId: string;
  ids?: number[];
  flow?: string;
  recordKeys?: string[];
  errorCode?: string;
  status?: 'open' | 'resolved';
  limit?: number;
}

export async function listDeadLetters(db: Queryable, f: DeadLetterFilter): Promise<DeadLetter[]> {
  return queryRows(
    db,
    'list dead letters',
    `SELECT * FROM dead_letters WHERE connection_id = $1 AND status = $2
       AND ($3::bigint[] IS NULL OR id = ANY($3)) AND ($4::text IS NULL OR flow = $4)
       AND ($5::text[] IS NULL OR record_key = ANY($5)) AND ($6::text IS NULL OR error_code = $6)
     ORDER BY id LIMIT $7`,
    [f.connectionId, f.status ?? 'open', f.ids ?? null, f.flow ?? null, f.recordKeys ?? null, f.errorCode ?? null, f.limit ?? 1000],
    deadLetterRow,
  );
}

export async function countOpenDeadLetters(db: Queryable, connectionId: string): Promise<number> {
  const rows = await queryRows(db, 'count dead letters', `SELECT count(*)::int AS n FROM dead_letters WHERE connection_id = $1 AND status = 'open'`, [connectionId], z.object({ n: z.number() }));
  return rows[0]?.n ?? 0;
}
