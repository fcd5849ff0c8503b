/**
 * The receiving side of Asana's webhook handshake (createWebhook description, asana_oas.yaml;
 * https://developers.asana.com/docs/webhooks-guide#the-webhook-handshake): the first POST to our target carries
 * `X-Hook-Secret`; we must answer 200/204 echoing it, and keep it to verify every later X-Hook-Signature.
 * This is the only time the secret is sent.
 *
 * Framework-free so the API's webhook route decides where secrets are stored (encrypted, per registration).
 */
export type AsanaWebhookRequestKind =
  | { kind: 'handshake'; secret: string; responseHeaders: Record<string, string>; status: 200 }
  | { kind: 'delivery'; signature: string | undefined }
  | { kind: 'invalid'; reason: string };

type Headers = Record<string, string | string[] | undefined>;

function header(headers: Headers, name: string): string | undefined {
  const value = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Tells a handshake from a delivery. `acceptingHandshake` must be true only while we are registering this webhook
 * (a pending registration exists): otherwise anyone could POST a secret of their choosing and take the endpoint over.
 */
export function classifyAsanaWebhookRequest(headers: Headers, acceptingHandshake: boolean): AsanaWebhookRequestKind {
  const secret = header(headers, 'x-hook-secret');
  if (secret !== undefined) {
    if (!acceptingHandshake) return { kind: 'invalid', reason: 'handshake received but no registration is pending' };
    if (secret.length < 16 || secret.length > 512) return { kind: 'invalid', reason: 'handshake secret has an implausible length' };
    return { kind: 'handshake', secret, responseHeaders: { 'X-Hook-Secret': secret }, status: 200 };
  }
  return { kind: 'delivery', signature: header(headers, 'x-hook-signature') };
}
