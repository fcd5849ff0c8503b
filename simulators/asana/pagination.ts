import { createHmac, randomBytes } from 'node:crypto';
import type { Request } from 'express';
import { badRequest } from './errors';
import type { Json } from './opt-fields';

/**
 * Asana pagination (https://developers.asana.com/docs/pagination; spec `components.parameters.limit/offset`,
 * `NextPage` L4464): `limit` 1..100; `offset` is an opaque token the API returned earlier and it expires;
 * `next_page {offset,path,uri}` is present only when `limit` was sent, and null on the last page.
 * Without `limit`, results past ~1,000 objects are refused with 400 "The result is too large. You should use
 * pagination (may require specifying a workspace)!" (Asana/node-asana README "Use case" section).
 */
export interface PaginationSettings {
  offsetTtlMs: number;
  unpaginatedMax: number;
}

export interface Page<T> {
  items: T[];
  nextPage: Json | undefined;
}

interface TokenPayload {
  /** The listing the token belongs to (path + filters): a token is only valid for the query that produced it. */
  k: string;
  /** Last GID on the previous page; the next page starts after it, so inserts between pages do not shift it. */
  a: string;
  e: number;
}

const signingKey = randomBytes(32);
const sign = (payload: string) => createHmac('sha256', signingKey).update(payload).digest('base64url');

function listingKey(req: Request): string {
  const q = Object.entries(req.query)
    .filter(([k]) => k !== 'offset' && k !== 'limit' && k !== 'opt_fields' && k !== 'opt_pretty')
    .map(([k, v]) => `${k}=${String(v)}`)
    .sort()
    .join('&');
  return `${req.path}?${q}`;
}

function decodeOffset(raw: string, key: string, nowMs: number): string {
  // Messages for bad/expired tokens are not documented word for word (UNCONFIRMED); the status (400) is.
  const [body, mac] = raw.split('.');
  if (!body || !mac || sign(body) !== mac) throw badRequest('offset: Invalid offset token');
  const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as TokenPayload;
  if (payload.k !== key) throw badRequest('offset: Invalid offset token');
  if (payload.e < nowMs) throw badRequest('offset: Your pagination token has expired.');
  return payload.a;
}

function encodeOffset(payload: TokenPayload): string {
  const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  return `${body}.${sign(body)}`;
}

export function parseLimit(raw: unknown): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (typeof raw !== 'string' || !Number.isInteger(n) || n < 1 || n > 100) {
    throw badRequest('limit: Must be an integer between 1 and 100');
  }
  return n;
}

export function paginate<T extends { gid: string }>(
  req: Request,
  items: T[],
  settings: PaginationSettings,
  nowMs: number,
  publicBaseUrl: string,
): Page<T> {
  const limit = parseLimit(req.query.limit);
  const rawOffset = req.query.offset;
  if (limit === undefined) {
    if (rawOffset !== undefined) throw badRequest('offset: Cannot be used without limit');
    if (items.length > settings.unpaginatedMax) {
      throw badRequest('The result is too large. You should use pagination (may require specifying a workspace)!');
    }
    return { items, nextPage: undefined };
  }
  const key = listingKey(req);
  let start = 0;
  if (typeof rawOffset === 'string') {
    const after = BigInt(decodeOffset(rawOffset, key, nowMs));
    start = items.findIndex((i) => BigInt(i.gid) > after);
    if (start < 0) start = items.length;
  }
  const pageItems = items.slice(start, start + limit);
  const last = pageItems[pageItems.length - 1];
  if (start + limit >= items.length || !last) return { items: pageItems, nextPage: null };
  const offset = encodeOffset({ k: key, a: last.gid, e: nowMs + settings.offsetTtlMs });
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(req.query)) if (k !== 'offset' && typeof v === 'string') params.set(k, v);
  params.set('offset', offset);
  const path = `${req.path}?${params.toString()}`;
  return { items: pageItems, nextPage: { offset, path, uri: `${publicBaseUrl}/api/1.0${path}` } };
}
