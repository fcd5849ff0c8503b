import { createHmac, timingSafeEqual } from 'node:crypto';
import { findActiveApiKey } from '../db/api-keys';
import { deriveKey, parseKeyring } from '../db/credential-cipher';
import { type Db } from '../db/pool';
import { parseScope } from './auth/api-key-format';

export const CODEC_COOKIE = 'mlc_codec';
const SESSION_MS = 8 * 60 * 60_000;

/**
 * Browser sessions for the codec endpoint. The Temporal UI calls /codec/decode from the browser and, with "Include
 * cross-origin credentials" on, sends cookies but no API key (https://github.com/temporal-sa/codec-cors-credentials),
 * so support staff sign in once with an admin key and get this cookie: `<key prefix>.<expiry ms>.<HMAC>`, signed with
 * a key derived from MLC_MASTER_KEY. It names the API key, never contains it, and dies with it: every request checks
 * that the key is still active and admin.
 */
export class CodecSessions {
  private readonly key: Buffer;

  constructor(masterKeySpec: string) {
    const ring = parseKeyring(masterKeySpec);
    this.key = deriveKey(ring.keys.get(ring.activeKeyId)!, 'codec-session/v1');
  }

  issue(keyPrefix: string, now = Date.now()): { value: string; expiresAt: Date } {
    const body = `${keyPrefix}.${now + SESSION_MS}`;
    return { value: `${body}.${this.sign(body)}`, expiresAt: new Date(now + SESSION_MS) };
  }

  /** The admin key prefix a valid, unexpired session names, if that key is still active and admin. */
  async verify(pool: Db, value: string | undefined, now = Date.now()): Promise<string | undefined> {
    const m = /^([0-9a-f]{8})\.(\d{13})\.([A-Za-z0-9_-]{43})$/.exec(value ?? '');
    if (!m) return undefined;
    const [, prefix, expiry, mac] = m;
    const expected = Buffer.from(this.sign(`${prefix}.${expiry}`));
    if (!timingSafeEqual(expected, Buffer.from(mac!)) || Number(expiry) <= now) return undefined;
    const row = await findActiveApiKey(pool, prefix!);
    return row && parseScope(row.scope)?.kind === 'admin' ? prefix : undefined;
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}
