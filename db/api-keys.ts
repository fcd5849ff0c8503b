import { z } from 'zod';
import { execute, queryRows, type Queryable } from './pool';

const apiKeyRow = z.object({
  prefix: z.string(),
  key_hash: z.instanceof(Buffer),
  scope: z.string(),
  label: z.string().nullable(),
  created_at: z.date(),
  last_used_at: z.date().nullable(),
  revoked_at: z.date().nullable(),
});
export type ApiKeyRow = z.infer<typeof apiKeyRow>;

export async function insertApiKey(db: Queryable, row: { prefix: string; hash: Buffer; scope: string; label?: string }): Promise<void> {
  await execute(db, 'insert api key', 'INSERT INTO api_keys (prefix, key_hash, scope, label) VALUES ($1, $2, $3, $4)', [row.prefix, row.hash, row.scope, row.label ?? null]);
}

/** Revoked keys are not returned: a revoked key authenticates nothing. */
export async function findActiveApiKey(db: Queryable, prefix: string): Promise<ApiKeyRow | undefined> {
  const rows = await queryRows(db, 'find api key', 'SELECT * FROM api_keys WHERE prefix = $1 AND revoked_at IS NULL', [prefix], apiKeyRow);
  return rows[0];
}

export async function listApiKeys(db: Queryable): Promise<ApiKeyRow[]> {
  return queryRows(db, 'list api keys', 'SELECT * FROM api_keys ORDER BY created_at', [], apiKeyRow);
}

export async function revokeApiKey(db: Queryable, prefix: string): Promise<boolean> {
  return (await execute(db, 'revoke api key', 'UPDATE api_keys SET revoked_at = now() WHERE prefix = $1 AND revoked_at IS NULL', [prefix])) > 0;
}

/** Best effort, at most once a minute per key, so a busy key does not write on every request. */
export async function touchApiKey(db: Queryable, prefix: string): Promise<void> {
  await execute(
    db,
    'touch api key',
    `UPDATE api_keys SET last_used_at = now() WHERE prefix = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
    [prefix],
  );
}
