import { z } from 'zod';
import { type CredentialCipher } from './credential-cipher';
import { execute, queryRows, type Queryable } from './pool';

/**
 * Data access for webhook_registrations (one row per connection, partner and watched resource). The signing secret is
 * sealed like credentials, with an AAD that ties it to its row. Lives with the Asana pair until a second pair needs it
 * (then: db/webhook-registrations.ts).
 */
const registrationRow = z.object({
  connection_id: z.string(),
  partner: z.string(),
  resource: z.string(),
  webhook_id: z.string().nullable(),
  target_url: z.string(),
  secret_key_id: z.string().nullable(),
  secret_iv: z.instanceof(Buffer).nullable(),
  secret_auth_tag: z.instanceof(Buffer).nullable(),
  secret_ciphertext: z.instanceof(Buffer).nullable(),
  status: z.enum(['pending', 'active', 'missing']),
  last_checked_at: z.date().nullable(),
  handshake_token_hash: z.string().nullable().optional(),
});
export type WebhookRegistration = z.infer<typeof registrationRow>;

/** Ties a webhook secret's ciphertext to its registration row (re-encryption must use the same AAD). */
export const webhookSecretAad = (connectionId: string, partner: string, resource: string) => `${connectionId}/webhook/${partner}/${resource}`;

export async function listRegistrations(db: Queryable, connectionId: string, partner: string): Promise<WebhookRegistration[]> {
  return queryRows(db, 'list webhook registrations', 'SELECT * FROM webhook_registrations WHERE connection_id = $1 AND partner = $2', [connectionId, partner], registrationRow);
}

/**
 * Opens a registration window: while a row is pending with a token hash, the receiver accepts one handshake for it,
 * from whoever presents the token (webhook-handshake.ts). Without a hash no handshake is accepted.
 */
export async function markPending(db: Queryable, r: { connectionId: string; partner: string; resource: string; targetUrl: string; handshakeTokenHash?: string }): Promise<void> {
  await execute(
    db,
    'mark webhook registration pending',
    `INSERT INTO webhook_registrations (connection_id, partner, resource, target_url, status, handshake_token_hash) VALUES ($1, $2, $3, $4, 'pending', $5)
     ON CONFLICT (connection_id, partner, resource) DO UPDATE SET target_url = $4, status = 'pending', webhook_id = NULL, handshake_token_hash = $5,
       secret_key_id = NULL, secret_iv = NULL, secret_auth_tag = NULL, secret_ciphertext = NULL, updated_at = now()`,
    [r.connectionId, r.partner, r.resource, r.targetUrl, r.handshakeTokenHash ?? null],
  );
}

/**
 * The receiver's side of a handshake: stores the secret only into the pending row whose one-time token hash matches,
 * only when that row holds no secret yet, and uses the token up in the same statement. False for anything else:
 * an unauthenticated request never overwrites a secret.
 */
export async function acceptHandshakeSecret(db: Queryable, cipher: CredentialCipher, r: { connectionId: string; partner: string; tokenHash: string }, secret: string): Promise<boolean> {
  const [row] = await queryRows(
    db,
    'find webhook registration awaiting handshake',
    `SELECT resource FROM webhook_registrations WHERE connection_id = $1 AND partner = $2 AND status = 'pending' AND handshake_token_hash = $3 AND secret_ciphertext IS NULL`,
    [r.connectionId, r.partner, r.tokenHash],
    z.object({ resource: z.string() }),
  );
  if (!row) return false;
  const sealed = cipher.seal(secret, webhookSecretAad(r.connectionId, r.partner, row.resource));
  const n = await execute(
    db,
    'store webhook secret from handshake',
    `UPDATE webhook_registrations SET secret_key_id = $5, secret_iv = $6, secret_auth_tag = $7, secret_ciphertext = $8, handshake_token_hash = NULL, updated_at = now()
     WHERE connection_id = $1 AND partner = $2 AND resource = $3 AND status = 'pending' AND handshake_token_hash = $4 AND secret_ciphertext IS NULL`,
    [r.connectionId, r.partner, row.resource, r.tokenHash, sealed.keyId, sealed.iv, sealed.authTag, sealed.ciphertext],
  );
  return n > 0;
}

/**
 * Stores a secret we obtained ourselves (the 201 of our authenticated POST /webhooks) into a pending row, replacing
 * whatever a handshake stored, and closes the handshake window. Never called with a secret from an inbound request.
 */
export async function storePendingSecret(db: Queryable, cipher: CredentialCipher, r: { connectionId: string; partner: string; resource: string }, secret: string): Promise<boolean> {
  const sealed = cipher.seal(secret, webhookSecretAad(r.connectionId, r.partner, r.resource));
  const n = await execute(
    db,
    'store webhook secret',
    `UPDATE webhook_registrations SET secret_key_id = $4, secret_iv = $5, secret_auth_tag = $6, secret_ciphertext = $7, handshake_token_hash = NULL, updated_at = now()
     WHERE connection_id = $1 AND partner = $2 AND resource = $3 AND status = 'pending'`,
    [r.connectionId, r.partner, r.resource, sealed.keyId, sealed.iv, sealed.authTag, sealed.ciphertext],
  );
  return n > 0;
}

export async function markActive(db: Queryable, r: { connectionId: string; partner: string; resource: string; webhookId: string }): Promise<void> {
  await execute(
    db,
    'mark webhook registration active',
    `UPDATE webhook_registrations SET webhook_id = $4, status = 'active', handshake_token_hash = NULL, last_checked_at = now(), updated_at = now()
     WHERE connection_id = $1 AND partner = $2 AND resource = $3`,
    [r.connectionId, r.partner, r.resource, r.webhookId],
  );
}

export async function markChecked(db: Queryable, r: { connectionId: string; partner: string; resource: string }, status: 'active' | 'missing'): Promise<void> {
  await execute(
    db,
    'mark webhook registration checked',
    'UPDATE webhook_registrations SET status = $4, last_checked_at = now(), updated_at = now() WHERE connection_id = $1 AND partner = $2 AND resource = $3',
    [r.connectionId, r.partner, r.resource, status],
  );
}

export function openSecret(cipher: CredentialCipher, row: WebhookRegistration): string | undefined {
  if (!row.secret_key_id || !row.secret_iv || !row.secret_auth_tag || !row.secret_ciphertext) return undefined;
  return cipher.open({ keyId: row.secret_key_id, iv: row.secret_iv, authTag: row.secret_auth_tag, ciphertext: row.secret_ciphertext }, webhookSecretAad(row.connection_id, row.partner, row.resource));
}
