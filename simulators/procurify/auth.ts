import { randomBytes } from 'node:crypto';
import { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { SimClock } from '../kit/clock';
import { tokenHash } from '../kit/token-hash';
import { detail, ProcurifyHttpError } from './errors';
import type { ProcurifyStore } from './store';

export const TOKEN_PATH = '/oauth/token';
export const AUDIENCE = 'https://api.procurify.com/';
export const TOKEN_LIFETIME_S = 86_400;

/** OauthTokenRequestRequest: all four fields are strings; the grant and audience must be the documented values. */
const tokenRequestSchema = z.object({ client_id: z.string(), client_secret: z.string(), audience: z.string(), grant_type: z.string() }).loose();

/**
 * POST /oauth/token (https://developer.procurify.com/tag/oauth): client credentials with audience
 * https://api.procurify.com/ -> `{access_token, scope: "urn:procurify-api:domain:<d> urn:procurify-api:email:<e>",
 * expires_in: 86400, token_type: "Bearer"}`. Expiry runs on the simulator clock, so a test can move past it.
 * Refusals use RFC 6749 §5.2 codes with a description (the docs show none; UNCONFIRMED beyond the RFC).
 */
export function tokenRoutes(store: ProcurifyStore, clock: SimClock): Router {
  const r = Router();
  r.post(TOKEN_PATH, (req, res) => {
    const parsed = tokenRequestSchema.safeParse(req.body);
    // RFC 6749 §5.2 (https://www.rfc-editor.org/rfc/rfc6749#section-5.2): `error` plus an `error_description` saying
    // which parameter, as Auth0-style token endpoints (this one's audience/scope shape) answer.
    if (!parsed.success) {
      const missing = parsed.error.issues.map((i) => String(i.path[0])).filter(Boolean);
      return void res.status(400).json({ error: 'invalid_request', error_description: `Missing required parameter: ${missing[0] ?? 'grant_type'}` });
    }
    const body = parsed.data;
    if (body.grant_type !== 'client_credentials') return void res.status(400).json({ error: 'unsupported_grant_type', error_description: `Unsupported grant type: ${body.grant_type}` });
    const client = store.clients.get(body.client_id);
    if (!client || client.clientSecret !== body.client_secret) {
      store.tokenStats.refused += 1;
      return void res.status(401).json({ error: 'access_denied', error_description: 'Unauthorized' });
    }
    if (body.audience !== AUDIENCE) {
      store.tokenStats.refused += 1;
      return void res.status(403).json({ error: 'access_denied', error_description: 'Service not found: ' + body.audience });
    }
    const token = randomBytes(24).toString('base64url');
    store.tokens.set(tokenHash(token), { clientId: client.clientId, expiresAtMs: clock.nowMs() + TOKEN_LIFETIME_S * 1000 });
    store.tokenStats.granted += 1;
    res.json({ access_token: token, scope: `urn:procurify-api:domain:${store.domain} urn:procurify-api:email:${client.email}`, expires_in: TOKEN_LIFETIME_S, token_type: 'Bearer' });
  });
  return r;
}

/**
 * Every API call needs `Authorization: Bearer <token>` and `X-Procurify-Client: api`
 * (https://developer.procurify.com/tag/oauth, "You will need to set the following headers"). What Procurify answers
 * without the second header is not published (UNCONFIRMED): the header is what selects API (M2M) authentication, so
 * without it the bearer token is not considered and the request is anonymous, which DRF refuses with 403 "Authentication
 * credentials were not provided." (session authentication sends no WWW-Authenticate, so DRF uses 403, not 401).
 * An unknown or expired token: 401 with WWW-Authenticate: Bearer.
 */
export function apiAuth(store: ProcurifyStore, clock: SimClock) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (req.get('x-procurify-client') !== 'api') return next(detail(403, 'Authentication credentials were not provided.'));
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
    if (!bearer) return next(new ProcurifyHttpError(401, { detail: 'Authentication credentials were not provided.' }, { 'WWW-Authenticate': 'Bearer' }));
    const rec = store.tokens.get(tokenHash(bearer));
    if (!rec) return next(new ProcurifyHttpError(401, { detail: 'Invalid token.' }, { 'WWW-Authenticate': 'Bearer' }));
    if (rec.expiresAtMs <= clock.nowMs()) return next(new ProcurifyHttpError(401, { detail: 'Token has expired.' }, { 'WWW-Authenticate': 'Bearer' }));
    next();
  };
}

/**
 * One simulator is one tenant. A request addressed to another `<domain>.procurify.com` (Host header) is answered 404,
 * as an unknown tenant would be; loopback hosts (how tests and the demo reach it) are this tenant.
 */
export function tenantHost(store: ProcurifyStore) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const sub = /^([^.:]+)\.procurify\.com(?::\d+)?$/i.exec(req.get('host') ?? '')?.[1];
    if (sub !== undefined && sub.toLowerCase() !== store.domain.toLowerCase()) return next(detail(404, 'Not found.'));
    next();
  };
}
