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
});
export type WebhookRegistration = z.infer<typeof registrationRow>;

/** Ties a webhook secret's ciphertext to its registration row (re-encryption must use the same AAD). */
export const webhookSecretAad = (connectionId: string, partner: string, resource: string) => `${connectionId}/webhook/${partner}/${resource}`;

export async function listRegistrations(db: Queryable, connectionId: string, partner: string): Promise<WebhookRegistration[]> {
  return queryRows(db, 'list webhook registrations', 'SELECT * FROM webhook_registrations WHERE connection_id = $1 AND partner = $2', [connectionId, partner], registrationRow);
}

/** Opens a registration window: while a row is pending, the receiver accepts one handshake for it. */
export async function markPending(db: Queryable, r: { connectionId: string; partner: string; resource: string; targetUrl: string }): Promise<void> {
  await execute(
    db,
    'mark webhook registration pending',
    `INSERT INTO webhook_registrations (connection_id, partner, resource, target_url, status) VALUES ($1, $2, $3, $4, 'pending')
     ON CONFLICT (connection_id, partner, resource) DO UPDATE SET target_url = $4, status = 'pending', webhook_id = NULL,
       secret_key_id = NULL, secret_iv = NULL, secret_auth_tag = NULL, secret_ciphertext = NULL, updated_at = now()`,
    [r.connectionId, r.partner, r.resource, r.targetUrl],
  );
}

/** Stores the handshake secret, only into a pending row (returns false otherwise: nobody asked for this handshake). */
export async function storePendingSecret(db: Queryable, cipher: CredentialCipher, r: { connectionId: string; partner: string; resource: string }, secret: string): Promise<boolean> {
  const sealed = cipher.seal(secret, webhookSecretAad(r.connectionId, r.partner, r.resource));
  const n = await execute(
    db,
    'store webhook secret',
    `UPDATE webhook_registrations SET secret_key_id = $4, secret_iv = $5, secret_auth_tag = $6, secret_ciphertext = $7, updated_at = now()
     WHERE connection_id = $1 AND partner = $2 AND resource = $3 AND status = 'pending'`,
    [r.connectionId, r.partner, r.resource, sealed.keyId, sealed.iv, sealed.authTag, sealed.ciphertext],
  );
  return n > 0;
}

export async function markActive(db: Queryable, r: { connectionId: string; partner: string; resource: string; webhookId: string }): Promise<void> {
  await execute(
    db,
    'mark webhook registration active',
    `UPDATE webhook_registrations SET webhook_id = $4, status = 'active', last_checked_at = now(), updated_at = now()
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
