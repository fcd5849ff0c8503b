import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { keyMatches, parseScope, prefixOf } from '../api/auth/api-key-format';
import { createApiKey } from '../api/auth/create-api-key';
import { findActiveApiKey } from '../db/api-keys';
import { type Queryable } from '../db/pool';
import { localAdminKeyPath, readLocalAdminKey, type LocalAdminKey } from './local-admin-key-file';

const LABEL = 'local admin (npm start)';

function write(file: string, value: LocalAdminKey): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  // 0600 from creation: the key is never readable by other users, even briefly.
  writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}

/**
 * Keeps the stored key if it is still an active admin key of this database (its URL updated to where the API listens
 * now); otherwise (first start, a wiped database, a revoked key) creates a new admin key and stores it.
 */
export async function ensureLocalAdminKey(db: Queryable, dataDir: string, apiUrl: string): Promise<{ file: string; prefix: string; created: boolean }> {
  const file = localAdminKeyPath(dataDir);
  const stored = readLocalAdminKey(dataDir);
  const prefix = stored && prefixOf(stored.key);
  const row = prefix ? await findActiveApiKey(db, prefix) : undefined;
  if (stored && prefix && row && parseScope(row.scope)?.kind === 'admin' && keyMatches(stored.key, row.key_hash)) {
    if (stored.apiUrl !== apiUrl) write(file, { ...stored, apiUrl });
    return { file, prefix, created: false };
  }
  const created = await createApiKey(db, { kind: 'admin' }, LABEL);
  write(file, { apiUrl, key: created.key });
  return { file, prefix: created.prefix, created: true };
}
