import { type Pool } from 'pg';
import { webhookSecretAad } from './webhook-registrations';
import { credentialAad, oauthTokenAad } from './connections';
import { type CredentialCipher } from './credential-cipher';
import { DbError, inTransaction } from './pool';

/** One table holding sealed values: its columns, its row key and the AAD a row's ciphertext is bound to. */
interface SealedTable {
  table: string;
  key: string[];
  cols: { keyId: string; iv: string; authTag: string; ciphertext: string };
  aad(row: Record<string, string>): string;
}

const plain = { keyId: 'key_id', iv: 'iv', authTag: 'auth_tag', ciphertext: 'ciphertext' };
export const SEALED_TABLES: SealedTable[] = [
  { table: 'connection_credentials', key: ['connection_id', 'side'], cols: plain, aad: (r) => credentialAad(r.connection_id!, r.side!) },
  { table: 'oauth_tokens', key: ['connection_id', 'side'], cols: plain, aad: (r) => oauthTokenAad(r.connection_id!, r.side!) },
  {
    table: 'webhook_registrations',
    key: ['connection_id', 'partner', 'resource'],
    cols: { keyId: 'secret_key_id', iv: 'secret_iv', authTag: 'secret_auth_tag', ciphertext: 'secret_ciphertext' },
    aad: (r) => webhookSecretAad(r.connection_id!, r.partner!, r.resource!),
  },
];

export type ReencryptReport = Record<string, number>;

/**
 * Moves every sealed value to the cipher's active (newest) key: per table, batches of rows on an older key are locked
 * (SKIP LOCKED, so a concurrent run or writer is never waited on), opened with their own key, sealed with the active
 * one and written back in one transaction per batch. A batch fails as a whole (a row whose key is no longer listed
 * stops the command, naming the key); batches already committed stay moved, and running again finishes the rest.
 */
export async function reencryptAll(pool: Pool, cipher: CredentialCipher, opts: { batchSize?: number; onBatch?: (table: string, n: number) => void } = {}): Promise<ReencryptReport> {
  const batchSize = opts.batchSize ?? 100;
  const report: ReencryptReport = {};
  for (const t of SEALED_TABLES) {
    report[t.table] = 0;
    const { keyId, iv, authTag, ciphertext } = t.cols;
    for (;;) {
      const moved = await inTransaction(pool, async (tx) => {
        let rows: Record<string, unknown>[];
        try {
          rows = (
            await tx.query(
              `SELECT ${t.key.join(', ')}, ${keyId} AS key_id, ${iv} AS iv, ${authTag} AS auth_tag, ${ciphertext} AS ciphertext FROM ${t.table}
               WHERE ${keyId} IS NOT NULL AND ${keyId} <> $1 ORDER BY ${t.key.join(', ')} LIMIT $2 FOR UPDATE SKIP LOCKED`,
              [cipher.activeKeyId, batchSize],
            )
          ).rows;
        } catch (err) {
          throw new DbError(`select ${t.table} rows to re-encrypt`, err);
        }
        for (const row of rows) {
          const ids = Object.fromEntries(t.key.map((k) => [k, String(row[k])]));
          const aad = t.aad(ids);
          const sealed = cipher.seal(cipher.open({ keyId: String(row.key_id), iv: row.iv as Buffer, authTag: row.auth_tag as Buffer, ciphertext: row.ciphertext as Buffer }, aad), aad);
          const where = t.key.map((k, i) => `${k} = $${i + 5}`).join(' AND ');
          try {
            await tx.query(`UPDATE ${t.table} SET ${keyId} = $1, ${iv} = $2, ${authTag} = $3, ${ciphertext} = $4 WHERE ${where}`, [
              sealed.keyId,
              sealed.iv,
              sealed.authTag,
              sealed.ciphertext,
              ...t.key.map((k) => ids[k]),
            ]);
          } catch (err) {
            throw new DbError(`re-encrypt a ${t.table} row`, err);
          }
        }
        return rows.length;
      });
      report[t.table] = (report[t.table] ?? 0) + moved;
      if (moved > 0) opts.onBatch?.(t.table, moved);
      if (moved < batchSize) break;
    }
  }
  return report;
}
