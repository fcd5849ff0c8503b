import { insertApiKey } from '../../db/api-keys';
import { type Queryable } from '../../db/pool';
import { generateApiKey, scopeToString, type ApiKeyScope } from './api-key-format';

/** Creates a key and returns it: the only moment its secret exists outside the caller's hands. */
export async function createApiKey(db: Queryable, scope: ApiKeyScope, label?: string): Promise<{ key: string; prefix: string; scope: string }> {
  const { key, prefix, hash } = generateApiKey();
  await insertApiKey(db, { prefix, hash, scope: scopeToString(scope), label });
  return { key, prefix, scope: scopeToString(scope) };
}
