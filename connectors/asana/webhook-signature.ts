import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * `X-Hook-Signature` = HMAC-SHA256 of the request body keyed by the handshake secret
 * (https://developers.asana.com/docs/webhooks-guide "Security"), lowercase hex as in Asana's example server
 * (Asana/devrel-examples javascript/webhooks-nodejs/index.js). We hash the raw bytes, never a re-serialized body,
 * and compare in constant time. Any malformed input is simply "not verified".
 */
export function verifyAsanaSignature(rawBody: Buffer, secret: string, signatureHeader: string | string[] | undefined | null): boolean {
  if (!Buffer.isBuffer(rawBody) || typeof secret !== 'string' || secret === '') return false;
  if (typeof signatureHeader !== 'string' || !/^[0-9a-fA-F]{64}$/.test(signatureHeader.trim())) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  const given = Buffer.from(signatureHeader.trim(), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The signature Asana would send for `rawBody` (for tests and the simulator's peers). */
export function signAsanaBody(rawBody: Buffer | string, secret: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('hex');
}
