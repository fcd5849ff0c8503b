import { z } from 'zod';
import { type AccessToken, type OAuthTokenStore } from '../core/oauth-token-store';
import { oauthTokenAad } from './connections';
import { type CredentialCipher } from './credential-cipher';
import { execute, inTransaction, queryRows, type Db, type Queryable } from './pool';

/**
 * Data access for oauth_tokens: one connection side's current access token, sealed like credentials (the AAD ties a
 * ciphertext to its connection and side), with the expiry the partner gave, so every worker reuses it.
 */
const tokenRow = z.object({ key_id: z.string(), iv: z.instanceof(Buffer), auth_tag: z.instanceof(Buffer), ciphertext: z.instanceof(Buffer), expires_at: z.date() });

export async function getOAuthToken(db: Queryable, cipher: CredentialCipher, connectionId: string, side: string): Promise<AccessToken | undefined> {
  const [row] = await queryRows(db, 'get oauth token', 'SELECT key_id, iv, auth_tag, ciphertext, expires_at FROM oauth_tokens WHERE connection_id = $1 AND side = $2', [connectionId, side], tokenRow);
  if (!row) return undefined;
  const accessToken = cipher.open({ keyId: row.key_id, iv: row.iv, authTag: row.auth_tag, ciphertext: row.ciphertext }, oauthTokenAad(connectionId, side));
  return { accessToken, expiresAt: row.expires_at };
}

export async function putOAuthToken(db: Queryable, cipher: CredentialCipher, connectionId: string, side: string, token: AccessToken): Promise<void> {
  const sealed = cipher.seal(token.accessToken, oauthTokenAad(connectionId, side));
  await execute(
    db,
    'put oauth token',
    `INSERT INTO oauth_tokens (connection_id, side, key_id, iv, auth_tag, ciphertext, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (connection_id, side) DO UPDATE SET key_id = $3, iv = $4, auth_tag = $5, ciphertext = $6, expires_at = $7, updated_at = now()`,
    [connectionId, side, sealed.keyId, sealed.iv, sealed.authTag, sealed.ciphertext, token.expiresAt],
  );
}

/**
 * The store connectors get for one connection side. `exclusive` holds a transaction-scoped advisory lock on
 * (connection, side) across the refresh call, so two workers whose tokens expire together make one refresh: the
 * second waits, then reads the token the first stored. The lock is held for one token request (seconds at most).
 */
export function oauthTokenStore(pool: Db, cipher: CredentialCipher, connectionId: string, side: string): OAuthTokenStore {
  return {
    load: () => getOAuthToken(pool, cipher, connectionId, side),
    exclusive: (renew) =>
      inTransaction(pool, async (tx) => {
        await execute(tx, 'lock oauth token', 'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`oauth_tokens/${oauthTokenAad(connectionId, side)}`]);
        const stored = await getOAuthToken(tx, cipher, connectionId, side);
        const next = await renew(stored);
        if (next !== stored) await putOAuthToken(tx, cipher, connectionId, side, next);
        return next;
      }),
  };
}
