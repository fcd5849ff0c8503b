import { createHash } from 'node:crypto';

/** Stable JSON (sorted keys) so the same mapped payload always hashes the same, whatever the key order. */
function stable(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stable(v)}`).join(',')}}`;
}

/** Hash of what we write to the target: equal hash = nothing to write (and no echo in bidirectional flows). */
export function payloadHash(payload: unknown): string {
  return createHash('sha256').update(stable(payload)).digest('hex');
}
