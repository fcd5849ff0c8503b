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
    const header = req.headers.authorization ?? '';
    const key = /^Bearer (\S+)$/i.exec(header)?.[1];
    const prefix = key ? prefixOf(key) : undefined;
    const row = prefix ? await findActiveApiKey(pool, prefix) : undefined;
    const scope = row ? parseScope(row.scope) : undefined;
    if (!key || !row || !scope || !keyMatches(key, row.key_hash)) {
      res.setHeader('www-authenticate', 'Bearer realm="ml-connector"');
      throw new ApiError('unauthorized', 'a valid API key is required: send "Authorization: Bearer <key>"');
    }
    res.locals.principal = { keyPrefix: row.prefix, scope } satisfies Principal;
    req.log?.setBindings({ apiKey: row.prefix });
    touchApiKey(pool, row.prefix).catch((err: unknown) => req.log?.warn({ err }, 'could not record api key use'));
    next();
  };
}

export function principalOf(res: Response): Principal {
  const p = res.locals.principal as Principal | undefined;
  if (!p) throw new ApiError('unauthorized', 'a valid API key is required');
  return p;
}
