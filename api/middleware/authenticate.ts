import { type RequestHandler, type Response } from 'express';
import { findActiveApiKey, touchApiKey } from '../../db/api-keys';
import { type Db } from '../../db/pool';
import { keyMatches, parseScope, prefixOf, type ApiKeyScope } from '../auth/api-key-format';
import { ApiError } from '../errors';

export interface Principal {
  keyPrefix: string;
  scope: ApiKeyScope;
}

/**
 * Bearer API keys on every route it guards. All failures answer the same 401 (missing, malformed, unknown, revoked,
 * wrong secret), so the answer tells nothing about which keys exist.
 */
export function authenticate(pool: Db): RequestHandler {
  return async (req, res, next) => {
    const principal = await verifyApiKey(pool, /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '')?.[1]);
    if (!principal) {
      res.setHeader('www-authenticate', 'Bearer realm="ml-connector"');
      throw new ApiError('unauthorized', 'a valid API key is required: send "Authorization: Bearer <key>"');
    }
    res.locals.principal = principal;
    req.log?.setBindings({ apiKey: principal.keyPrefix });
    touchApiKey(pool, principal.keyPrefix).catch((err: unknown) => req.log?.warn({ err }, 'could not record api key use'));
    next();
  };
}

/** The principal of an API key, or undefined for anything that is not a current key (same answer for every reason). */
export async function verifyApiKey(pool: Db, key: string | undefined): Promise<Principal | undefined> {
  const prefix = key ? prefixOf(key) : undefined;
  const row = prefix ? await findActiveApiKey(pool, prefix) : undefined;
  const scope = row ? parseScope(row.scope) : undefined;
  if (!key || !row || !scope || !keyMatches(key, row.key_hash)) return undefined;
  return { keyPrefix: row.prefix, scope };
}

export function principalOf(res: Response): Principal {
  const p = res.locals.principal as Principal | undefined;
  if (!p) throw new ApiError('unauthorized', 'a valid API key is required');
  return p;
}
