import type { NextFunction, Request, Response } from 'express';
import { AsanaHttpError, sendError } from './errors';
import type { AsanaStore, SimToken } from './store';
import { tokenHash } from './token-hash';

/**
 * Bearer auth with a personal access token or OAuth access token (spec security schemes `personalAccessToken`,
 * `oauth2`, asana_oas.yaml L10348-10367). A missing or unknown token is `401 {"errors":[{"message":"Not Authorized"}]}`
 * (https://developers.asana.com/docs/errors).
 */
export interface AuthedLocals {
  auth: SimToken & { tokenHash: string };
}

export function bearerAuth(store: AsanaStore) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const token = match?.[1] ? store.tokens.get(match[1]) : undefined;
    if (!token) return sendError(res, new AsanaHttpError(401, 'Not Authorized'));
    (res.locals as AuthedLocals).auth = { ...token, tokenHash: tokenHash(token.token) };
    next();
  };
}

export function authOf(res: Response): AuthedLocals['auth'] {
  return (res.locals as AuthedLocals).auth;
}
