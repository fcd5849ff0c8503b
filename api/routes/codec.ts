import express, { type NextFunction, type Request, type Response, Router } from 'express';
import { type Payload } from '@temporalio/common';
import { type z } from 'zod';
import { type Db } from '../../db/pool';
import { PayloadEncryptionCodec } from '../../runtime/payload-codec';
import { CODEC_COOKIE, CodecSessions, readCookie } from '../codec-session';
import { codecPayloads, codecSessionRequest } from '../contract';
import { ApiError } from '../errors';
import { verifyApiKey } from '../middleware/authenticate';
import { parseInput } from '../parse-input';

type JsonPayload = z.infer<typeof codecPayloads>['payloads'][number];

const toPayload = (p: JsonPayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data ?? '', 'base64'),
});
const toJson = (p: Payload): JsonPayload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')])),
  data: Buffer.from(p.data ?? []).toString('base64'),
});

/** Browsers reach us from the Temporal UI's origin; localhost and 127.0.0.1 are the same machine, so both count. */
function allowedOrigins(temporalUiUrl: string): Set<string> {
  const ui = new URL(temporalUiUrl);
  const swapped = ui.hostname === '127.0.0.1' ? 'localhost' : ui.hostname === 'localhost' ? '127.0.0.1' : undefined;
  return new Set([ui.origin, ...(swapped ? [`${ui.protocol}//${swapped}${ui.port ? `:${ui.port}` : ''}`] : [])]);
}

/**
 * The Temporal codec server protocol (https://docs.temporal.io/codec-server): POST /codec/decode and /codec/encode
 * take and return `{ payloads: [...] }` in proto3 JSON (metadata values and data base64), so support staff read
 * workflow inputs and results in the Temporal UI (temporal-dev.yaml `ui-codec-endpoint`) or with
 * `temporal workflow show --codec-endpoint <api>/codec --codec-auth "Bearer <key>"`. Decoded payloads carry every
 * customer's business data, so only admin API keys (as a bearer, or through a browser session from
 * POST /codec/session) may call it; CORS admits only the Temporal UI's origin.
 */
export function codecRoutes(deps: { pool: Db; masterKey: string; temporalUiUrl: string }): Router {
  const router = Router();
  const codec = new PayloadEncryptionCodec(deps.masterKey);
  const sessions = new CodecSessions(deps.masterKey);
  const origins = allowedOrigins(deps.temporalUiUrl);

  router.use('/codec', (req, res, next) => {
    const origin = req.headers.origin;
    if (origin && origins.has(origin)) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('access-control-allow-credentials', 'true');
      res.setHeader('vary', 'Origin');
    }
    if (req.method !== 'OPTIONS') return next();
    // Preflight: the UI sends Content-Type: application/json and X-Namespace (and Authorization when configured).
    res.setHeader('access-control-allow-methods', 'POST');
    res.setHeader('access-control-allow-headers', 'authorization, content-type, x-namespace');
    res.setHeader('access-control-max-age', '600');
    res.status(204).end();
  });

  async function adminOnly(req: Request, res: Response, next: NextFunction): Promise<void> {
    const bearer = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (bearer) {
      const principal = await verifyApiKey(deps.pool, bearer);
      if (!principal) throw new ApiError('unauthorized', 'a valid API key is required: send "Authorization: Bearer <key>"');
      if (principal.scope.kind !== 'admin') throw new ApiError('forbidden', 'the codec decodes every customer\'s payloads: it needs an admin API key');
      req.log?.setBindings({ apiKey: principal.keyPrefix });
      return next();
    }
    const prefix = await sessions.verify(deps.pool, readCookie(req.headers.cookie, CODEC_COOKIE));
    if (!prefix) {
      throw new ApiError('unauthorized', 'send "Authorization: Bearer <admin key>", or sign in with an admin key at /codec/session on the Temporal UI\'s address');
    }
    req.log?.setBindings({ apiKey: prefix, via: 'codec-session' });
    next();
  }

  const json = express.json({ limit: '4mb' });
  for (const op of ['encode', 'decode'] as const) {
    router.post(`/codec/${op}`, adminOnly, json, async (req, res) => {
      const body = parseInput(codecPayloads, req.body);
      let out: Payload[];
      try {
        out = await codec[op](body.payloads.map(toPayload));
      } catch (err) {
        // Wrong key id, tampered or truncated ciphertext: the codec's message names the key id, never key material.
        throw new ApiError('unprocessable', err instanceof Error ? err.message : String(err));
      }
      res.json({ payloads: out.map(toJson) });
    });
  }

  router.get('/codec/session', (_req, res) => {
    res.type('html').send(SIGN_IN_PAGE);
  });
  router.post('/codec/session', express.urlencoded({ extended: false, limit: '4kb' }), express.json({ limit: '4kb' }), async (req, res) => {
    const form = req.is('application/x-www-form-urlencoded') ? parseInput(codecSessionRequest, req.body) : undefined;
    const key = form?.key ?? /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const principal = await verifyApiKey(deps.pool, key);
    if (!principal) throw new ApiError('unauthorized', 'a valid admin API key is required (form field "key" or "Authorization: Bearer <key>")');
    if (principal.scope.kind !== 'admin') throw new ApiError('forbidden', 'the codec decodes every customer\'s payloads: it needs an admin API key');
    const session = sessions.issue(principal.keyPrefix);
    // SameSite=Strict still reaches us from the UI: 127.0.0.1:8233 and 127.0.0.1:3000 are the same site.
    res.cookie(CODEC_COOKIE, session.value, { httpOnly: true, sameSite: 'strict', path: '/codec', expires: session.expiresAt, secure: req.secure });
    if (form) res.type('html').send(SIGNED_IN_PAGE);
    else res.json({ expiresAt: session.expiresAt.toISOString() });
  });
  return router;
}

const SIGN_IN_PAGE = `<!doctype html><meta charset="utf-8"><title>ml-connector codec sign-in</title>
<h1>Read payloads in the Temporal UI</h1>
<p>Paste an admin API key. The browser keeps an 8-hour session cookie for <code>/codec</code>; the key itself is not stored.</p>
<form method="post" action="/codec/session"><input name="key" type="password" size="70" autocomplete="off" required> <button>Sign in</button></form>`;
const SIGNED_IN_PAGE = `<!doctype html><meta charset="utf-8"><title>ml-connector codec sign-in</title>
<h1>Signed in for 8 hours</h1>
<p>Open the Temporal UI on this address (<a href="/">/</a>): payloads show decoded, no UI settings needed.</p>`;
