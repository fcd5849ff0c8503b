import { createHash, randomBytes } from 'node:crypto';

/**
 * The receiving side of Asana's webhook handshake (createWebhook description, asana_oas.yaml;
 * https://developers.asana.com/docs/webhooks-guide#the-webhook-handshake): while our POST /webhooks is in flight,
 * Asana POSTs to the target with `X-Hook-Secret`; we must answer 200/204 echoing it, and keep it to verify every
 * later X-Hook-Signature. The 201 of POST /webhooks carries the same secret.
 *
 * Anyone can POST an X-Hook-Secret to our public receiver, so a handshake is accepted only for a registration we are
 * creating right now: the target URL we give Asana carries a one-time token (only its hash is stored), the handshake
 * must present it, and it works once. The secret in the 201 (an answer to our own authenticated call) is checked
 * against it afterwards and wins. Framework-free: the API's webhook route decides where secrets are stored.
 */
export type AsanaWebhookRequestKind =
  | { kind: 'handshake'; secret: string; responseHeaders: Record<string, string>; status: 200 }
  | { kind: 'delivery'; signature: string | undefined }
  | { kind: 'invalid'; reason: string };

type Headers = Record<string, string | string[] | undefined>;

/** One text for every refused handshake and one for every refused delivery: an answer tells a stranger nothing. */
export const HANDSHAKE_REFUSED = 'webhook handshake refused: no registration of ours is waiting for it';
export const DELIVERY_REFUSED = 'missing or invalid X-Hook-Signature';

/** The query parameter of the target URL that carries the one-time handshake token. */
export const HANDSHAKE_TOKEN_PARAM = 'handshake';

function header(headers: Headers, name: string): string | undefined {
  const value = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Tells a handshake from a delivery. `acceptingHandshake` false refuses every handshake outright; true still leaves
 * the decision to the caller, which must check the one-time token (acceptHandshakeSecret in db/webhook-registrations).
 */
export function classifyAsanaWebhookRequest(headers: Headers, acceptingHandshake: boolean): AsanaWebhookRequestKind {
  const secret = header(headers, 'x-hook-secret');
  if (secret !== undefined) {
    if (!acceptingHandshake || secret.length < 16 || secret.length > 512) return { kind: 'invalid', reason: HANDSHAKE_REFUSED };
    return { kind: 'handshake', secret, responseHeaders: { 'X-Hook-Secret': secret }, status: 200 };
  }
  return { kind: 'delivery', signature: header(headers, 'x-hook-signature') };
}

export function hashHandshakeToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A fresh one-time token for one registration attempt: the token goes into the target URL, the hash into the row. */
export function newHandshakeToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashHandshakeToken(token) };
}

/** The target we give Asana: our receiver URL plus the token (Asana keeps calling it, deliveries ignore the token). */
export function withHandshakeToken(target: string, token: string): string {
  const url = new URL(target);
  url.searchParams.set(HANDSHAKE_TOKEN_PARAM, token);
  return url.toString();
}

/** The token a request presents, if any (query values may be repeated or absent). */
export function handshakeTokenOf(query: unknown): string | undefined {
  const value = (query as Record<string, unknown> | undefined)?.[HANDSHAKE_TOKEN_PARAM];
  return typeof value === 'string' && value.length > 0 && value.length <= 200 ? value : undefined;
}

/** Whether a webhook Asana lists points at our receiver for this connection, whatever token its URL carries. */
export function isOurTarget(candidate: string, target: string): boolean {
  try {
    const a = new URL(candidate);
    const b = new URL(target);
    return a.origin === b.origin && a.pathname === b.pathname;
  } catch {
    return false;
  }
}
