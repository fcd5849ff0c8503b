import type { NextFunction, Request, Response } from 'express';
import type { SimClock } from '../kit/clock';
import { AsanaHttpError, sendError } from './errors';
import type { AsanaStore, SimToken } from './store';
import { tokenHash } from '../kit/token-hash';

/**
 * Bearer auth with a personal access token or OAuth access token (spec security schemes `personalAccessToken`,
 * `oauth2`, asana_oas.yaml L10348-10367). A missing or unknown token is `401 {"errors":[{"message":"Not Authorized"}]}`
 * (https://developers.asana.com/docs/errors).
 */
export interface AuthedLocals {
  auth: SimToken & {
    tokenHash: string;
    /**
     * Who owns what this token creates. "Get multiple webhooks" lists the webhooks "your app has registered for the
     * authenticated user" (asana_oas.yaml getWebhooks): for OAuth that is the app and user, the same after every
     * refresh; for a personal access token, the token itself.
     */
    ownerKey: string;
  };
}

/**
 * An OAuth access token past its hour is refused with Asana's documented message (https://developers.asana.com/docs/oauth,
 * "Token expiration") in the usual error envelope with 401 (spec `components.responses.Unauthorized`).
 */
export const EXPIRED_TOKEN_MESSAGE =
  'The bearer token has expired. If you have a refresh token, please use it to request a new bearer token, otherwise allow the user to re-authenticate.';

export function bearerAuth(store: AsanaStore, clock: SimClock) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const token = match?.[1] ? store.tokens.get(match[1]) : undefined;
    if (!token) return sendError(res, new AsanaHttpError(401, 'Not Authorized'));
    if (token.oauth && clock.nowMs() >= token.oauth.expiresAtMs) return sendError(res, new AsanaHttpError(401, EXPIRED_TOKEN_MESSAGE));
    const hash = tokenHash(token.token);
    const ownerKey = token.oauth ? tokenHash(`oauth:${token.oauth.clientId}:${token.userGid}`) : hash;
    (res.locals as AuthedLocals).auth = { ...token, tokenHash: hash, ownerKey };
    next();
  };
}

export function authOf(res: Response): AuthedLocals['auth'] {
  return (res.locals as AuthedLocals).auth;
}
