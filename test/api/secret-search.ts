import { type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { ENCRYPTED_ENCODING } from '../../runtime/payload-codec';

/** A place to search: what it is (for the failure message) and its text or raw bytes. */
export interface Haystack {
  where: string;
  content: string | Uint8Array;
}

/**
 * Every (place, secret) pair where a secret occurs. Bytes are searched as bytes (a payload's JSON, a protobuf-encoded
 * history), so nothing has to decode cleanly for a hit to count. Each secret is searched raw and in the encodings
 * it would take on its way out: base64 (an HTTP Basic header, a base64 payload dump) and JSON-escaped.
 */
export function findSecrets(haystacks: Haystack[], secrets: Record<string, string>): string[] {
  const hits: string[] = [];
  for (const [name, value] of Object.entries(secrets)) {
    if (value.length < 8) throw new Error(`secret ${name} is too short to search for without false hits`);
    const needles = [value, Buffer.from(value).toString('base64'), JSON.stringify(value).slice(1, -1)].map((n) => Buffer.from(n, 'utf8'));
    for (const h of haystacks) {
      const buf = typeof h.content === 'string' ? Buffer.from(h.content, 'utf8') : Buffer.from(h.content.buffer, h.content.byteOffset, h.content.byteLength);
      if (needles.some((n) => buf.includes(n))) hits.push(`${h.where}: ${name}`);
    }
  }
  return hits;
}

/**
 * A history as the server returned it, as places to search: the whole protobuf encoding, then every payload found in
 * any event (data bytes and metadata), so a secret inside a JSON payload is found whichever field carries it.
 */
export function historyHaystacks(where: string, history: temporal.api.history.v1.IHistory): Haystack[] {
  const out: Haystack[] = [{ where: `${where} (protobuf)`, content: temporal.api.history.v1.History.encode(history).finish() }];
  const visit = (node: unknown, path: string): void => {
    if (node === null || typeof node !== 'object') return;
    if (node instanceof Uint8Array) {
      out.push({ where: `${where} ${path}`, content: node });
      return;
    }
    for (const [k, v] of Object.entries(node)) visit(v, `${path}.${k}`);
  };
  (history.events ?? []).forEach((event, i) => visit(event, `event[${i}]${event.eventType ? ` (type ${event.eventType})` : ''}`));
  return out;
}

/**
 * Payloads are encrypted (runtime/payload-codec.ts), so the raw history alone could never show a secret: each
 * encrypted payload is also decrypted with the run's codec and searched as plaintext (data and metadata).
 */
export async function decryptedPayloadHaystacks(where: string, history: temporal.api.history.v1.IHistory, codec: PayloadCodec): Promise<Haystack[]> {
  const sealed: Payload[] = [];
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object' || node instanceof Uint8Array) return;
    const o = node as Record<string, unknown>;
    if (o.metadata && typeof o.metadata === 'object' && Buffer.from((o.metadata as Record<string, Uint8Array>).encoding ?? []).toString() === ENCRYPTED_ENCODING) {
      sealed.push(o as Payload);
      return;
    }
    for (const v of Object.values(o)) visit(v);
  };
  (history.events ?? []).forEach(visit);
  const opened = await codec.decode(sealed);
  return opened.flatMap((p, i) => [
    { where: `${where} decrypted payload[${i}]`, content: Buffer.from(p.data ?? []) },
    { where: `${where} decrypted payload[${i}] metadata`, content: JSON.stringify(Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString()]))) },
  ]);
}
