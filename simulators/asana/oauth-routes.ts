import { setTimeout as sleep } from 'node:timers/promises';
import express, { Router } from 'express';
import type { OAuthServer } from './oauth';

/** Beside the API root, as on app.asana.com (https://app.asana.com/-/oauth_token), not under /api/1.0. */
export const OAUTH_TOKEN_PATH = '/-/oauth_token';

/** The token endpoint takes a form-encoded body, like Asana's (https://developers.asana.com/docs/oauth). */
export function oauthTokenRoutes(oauth: OAuthServer): Router {
  const r = Router();
  r.post(OAUTH_TOKEN_PATH, express.urlencoded({ extended: false }), async (req, res) => {
    const { latencyMs } = oauth.current();
    if (latencyMs > 0) await sleep(latencyMs);
    const answer = oauth.exchange((req.body ?? {}) as Record<string, unknown>);
    // RFC 6749 §5.1: token answers must not be cached.
    res.status(answer.status).set('Cache-Control', 'no-store').json(answer.body);
  });
  return r;
}
