import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** `admin` sees everything; `customer:<id>` sees only that customer's connections. */
export type ApiKeyScope = { kind: 'admin' } | { kind: 'customer'; customerId: string };

export function scopeToString(scope: ApiKeyScope): string {
  return scope.kind === 'admin' ? 'admin' : `customer:${scope.customerId}`;
}

export function parseScope(value: string): ApiKeyScope | undefined {
  if (value === 'admin') return { kind: 'admin' };
  const m = /^customer:(.+)$/.exec(value);
  return m ? { kind: 'customer', customerId: m[1]! } : undefined;
}

/**
 * A key is `mlc_<prefix>_<secret>`: the prefix (8 hex chars) names the row and may be shown in listings and logs; the
 * secret is 32 random bytes. Only sha256(whole key) is stored.
 */
export function generateApiKey(): { key: string; prefix: string; hash: Buffer } {
  const prefix = randomBytes(4).toString('hex');
  const key = `mlc_${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix, hash: hashApiKey(key) };
}

export function hashApiKey(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}

export function prefixOf(key: string): string | undefined {
  return /^mlc_([0-9a-f]{8})_[A-Za-z0-9_-]{43}$/.exec(key)?.[1];
}

/** Constant-time: the comparison must not tell an attacker how much of a guessed key was right. */
export function keyMatches(key: string, storedHash: Buffer): boolean {
  const h = hashApiKey(key);
  return h.length === storedHash.length && timingSafeEqual(h, storedHash);
}
