import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Admin webhooks with a secret: `X-Hub-Signature: sha256=<lowercase hex HMAC-SHA256(raw body, secret)>`
 * (https://developer.atlassian.com/cloud/jira/platform/webhooks/#secure-admin-webhooks; WebSub `method=signature`).
 * Verified over the raw bytes, compared in constant time; anything malformed is simply "not verified".
 */
export function verifyJiraSignature(rawBody: Buffer, secret: string, header: string | string[] | undefined | null): boolean {
  if (!Buffer.isBuffer(rawBody) || typeof secret !== 'string' || secret === '' || typeof header !== 'string') return false;
  const m = /^sha256=([0-9a-fA-F]{64})$/.exec(header.trim());
  if (!m) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  const given = Buffer.from(m[1]!, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function signJiraBody(rawBody: Buffer | string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

/**
 * Dynamic (REST-registered) webhooks carry `Authorization: JWT <token>` signed HS256 with the OAuth app's client
 * secret (nango.dev/docs/api-integrations/jira/webhooks; Atlassian does not document the claims, so only the
 * signature, `alg`, and `exp` when present are checked). Constant-time comparison of the signature.
 */
export function verifyJiraJwt(authorization: string | undefined, clientSecret: string, nowMs: number = Date.now()): boolean {
  const m = /^JWT\s+([\w-]+)\.([\w-]+)\.([\w-]+)$/.exec(authorization ?? '');
  if (!m || clientSecret === '') return false;
  try {
    const header = JSON.parse(Buffer.from(m[1]!, 'base64url').toString('utf8')) as { alg?: string };
    if (header.alg !== 'HS256') return false;
    const expected = createHmac('sha256', clientSecret).update(`${m[1]}.${m[2]}`).digest();
    const given = Buffer.from(m[3]!, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
    const claims = JSON.parse(Buffer.from(m[2]!, 'base64url').toString('utf8')) as { exp?: number };
    return claims.exp === undefined || claims.exp * 1000 > nowMs - 60_000;
  } catch {
    return false;
  }
}
