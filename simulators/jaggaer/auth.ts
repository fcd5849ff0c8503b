import type { NextFunction, Request, Response } from 'express';
import type { TokenServer } from './token-server';

/**
 * Bearer tokens from the J1p-integrations realm. A missing, unknown or expired token is 401 with an RFC 6750
 * `WWW-Authenticate: Bearer realm=..., error="invalid_token"` challenge, as Keycloak-protected resources answer
 * (https://www.rfc-editor.org/rfc/rfc6750#section-3); the body JAGGAER's gateway sends is UNCONFIRMED.
 */
export function bearerAuth(tokens: TokenServer) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const token = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
    const state = token ? tokens.verify(token) : 'unknown';
    if (state === 'ok') return next();
    const description = state === 'expired' ? 'Token is not active' : 'Token verification failed';
    res
      .status(401)
      .set('WWW-Authenticate', `Bearer realm="J1p-integrations", error="invalid_token", error_description="${description}"`)
      .json({ error: 'invalid_token', error_description: description });
  };
}
