import { z } from 'zod';
import { type CredentialCipher } from './credential-cipher';
import { execute, queryRows, type Queryable } from './pool';

const connectionRow = z.object({
  id: z.string(),
  customer_id: z.string(),
  pair: z.string(),
  status: z.enum(['active', 'paused', 'deleted']),
  config: z.record(z.string(), z.unknown()),
  created_at: z.date(),
  updated_at: z.date(),
});
export type ConnectionRow = z.infer<typeof connectionRow>;

export async function insertConnection(
  db: Queryable,
  row: { id: string; customerId: string; pair: string; config: Record<string, unknown> },
): Promise<void> {
  await execute(db, 'insert connection', 'INSERT INTO connections (id, customer_id, pair, config) VALUES ($1, $2, $3, $4)', [
    row.id,
    row.customerId,
    row.pair,
    JSON.stringify(row.config),
  ]);
}

export async function getConnection(db: Queryable, id: string): Promise<ConnectionRow | undefined> {
  const rows = await queryRows(db, 'get connection', 'SELECT * FROM connections WHERE id = $1', [id], connectionRow);
  return rows[0];
}

export async function updateConnectionConfig(db: Queryable, id: string, config: Record<string, unknown>): Promise<void> {
  await execute(db, 'update connection config', 'UPDATE connections SET config = $2, updated_at = now() WHERE id = $1', [id, JSON.stringify(config)]);
}

/** Ties a credential ciphertext to its connection and side (re-encryption must use the same AAD). */
export const credentialAad = (connectionId: string, side: string): string => `${connectionId}/${side}`;
/** The same for a stored OAuth token; the `oauth/` prefix keeps a token row from opening as a credentials row. */
export const oauthTokenAad = (connectionId: string, side: string): string => `${connectionId}/oauth/${side}`;

/** Stores one side's credentials (a JSON object) encrypted; the AAD ties the ciphertext to this connection and side. */
export async function putCredentials(db: Queryable, cipher: CredentialCipher, connectionId: string, side: string, secret: unknown): Promise<void> {
  const sealed = cipher.seal(JSON.stringify(secret), credentialAad(connectionId, side));
  await execute(
    db,
    'put credentials',
    `INSERT INTO connection_credentials (connection_id, side, key_id, iv, auth_tag, ciphertext) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (connection_id, side) DO UPDATE SET key_id = $3, iv = $4, auth_tag = $5, ciphertext = $6, updated_at = now()`,
    [connectionId, side, sealed.keyId, sealed.iv, sealed.authTag, sealed.ciphertext],
  );
  // A stored access token may belong to the grant these credentials replace (a reconnected account, another app).
  await execute(db, 'forget oauth token', 'DELETE FROM oauth_tokens WHERE connection_id = $1 AND side = $2', [connectionId, side]);
}

const credentialRow = z.object({ side: z.string(), key_id: z.string(), iv: z.instanceof(Buffer), auth_tag: z.instanceof(Buffer), ciphertext: z.instanceof(Buffer) });

export async function getCredentials(db: Queryable, cipher: CredentialCipher, connectionId: string): Promise<Record<string, unknown>> {
  const rows = await queryRows(db, 'get credentials', 'SELECT side, key_id, iv, auth_tag, ciphertext FROM connection_credentials WHERE connection_id = $1', [connectionId], credentialRow);
  return Object.fromEntries(
    rows.map((r) => [r.side, JSON.parse(cipher.open({ keyId: r.key_id, iv: r.iv, authTag: r.auth_tag, ciphertext: r.ciphertext }, credentialAad(connectionId, r.side))) as unknown]),
  );
}

export interface ConnectionFilter {
  customerId?: string;
  pair?: string;
  status?: ConnectionRow['status'];
  limit?: number;
  /** Keyset paging on id. */
  afterId?: string;
}

/** Deleted connections are listed only when asked for by status: they are kept for their audit trail. */
export async function listConnections(db: Queryable, f: ConnectionFilter): Promise<ConnectionRow[]> {
  return queryRows(
    db,
    'list connections',
    `SELECT * FROM connections
     WHERE ($1::text IS NULL OR customer_id = $1) AND ($2::text IS NULL OR pair = $2)
       AND (CASE WHEN $3::text IS NULL THEN status <> 'deleted' ELSE status = $3 END)
       AND ($4::text IS NULL OR id > $4)
     ORDER BY id LIMIT $5`,
    [f.customerId ?? null, f.pair ?? null, f.status ?? null, f.afterId ?? null, f.limit ?? 100],
    connectionRow,
  );
}

export async function setConnectionStatus(db: Queryable, id: string, status: ConnectionRow['status']): Promise<void> {
  await execute(db, 'set connection status', 'UPDATE connections SET status = $2, updated_at = now() WHERE id = $1', [id, status]);
}

/** A deleted connection keeps its audit trail and links, but no secret outlives it. */
export async function deleteCredentials(db: Queryable, connectionId: string): Promise<void> {
  await execute(db, 'delete credentials', 'DELETE FROM connection_credentials WHERE connection_id = $1', [connectionId]);
  await execute(db, 'delete oauth tokens', 'DELETE FROM oauth_tokens WHERE connection_id = $1', [connectionId]);
}
