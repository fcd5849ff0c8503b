import { gzipSync } from 'node:zlib';
import fc from 'fast-check';

/**
 * Property-based requests for every route of /openapi.json (plus the webhook receiver): path parameters, query
 * parameters and bodies full of what breaks naive servers (NUL, unpaired surrogates, malformed percent-encodings,
 * numbers beyond bigint, wrong types, deep nesting, bodies that lie about their encoding or type). The property:
 * no answer is a 5xx, and every 4xx has the error shape. Used by the short run in `npm test` and the long one in
 * `npm run test:faults`.
 */
export interface FuzzTarget {
  method: string;
  /** OpenAPI style, `{id}`. */
  path: string;
  query: string[];
  hasBody: boolean;
}

export interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: Buffer;
  auth: 'admin' | 'customer' | 'none' | 'garbage';
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

/** Every operation of the document, plus the webhook receiver of each partner named (not in /openapi.json). */
export function targetsOf(doc: Json, webhookPartners: readonly string[] = ['asana']): FuzzTarget[] {
  const targets: FuzzTarget[] = [];
  for (const [path, ops] of Object.entries(doc.paths as Json)) {
    for (const [method, op] of Object.entries(ops as Json)) {
      const query = ((op as Json).parameters ?? []).filter((p: Json) => p.in === 'query').map((p: Json) => p.name as string);
      targets.push({ method: method.toUpperCase(), path, query, hasBody: Boolean((op as Json).requestBody) });
    }
  }
  for (const partner of webhookPartners) targets.push({ method: 'POST', path: `/webhooks/${partner}/{connectionId}`, query: ['handshake'], hasBody: true });
  return targets;
}

/** Lone surrogates cannot go through encodeURIComponent: they are sent as their (invalid) CESU-8 bytes instead. */
function percentEncode(value: string): string {
  let out = '';
  for (const ch of value) {
    const code = ch.charCodeAt(0);
    out += ch.length === 1 && code >= 0xd800 && code <= 0xdfff ? `%ED%${(0xa0 + ((code >> 6) & 0x1f)).toString(16).toUpperCase()}%${(0x80 + (code & 0x3f)).toString(16).toUpperCase()}` : encodeURIComponent(ch);
  }
  return out;
}

const hostileText = fc.oneof(
  fc.constantFrom('\u0000', 'a\u0000b', '\ud800', 'x\udfff', '\ud83d', '\u{1F600}', '', ' ', '%', '../..', '\n', '💥'.repeat(50)),
  fc.string({ unit: 'binary', maxLength: 24 }),
  fc.string({ maxLength: 24 }),
);
const hugeNumber = fc.oneof(
  fc.constantFrom('99999999999999999999', '9223372036854775808', '-1', '0', '1e309', 'NaN', 'Infinity', '1.5', '0x10', '00001'),
  fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map(String),
);
/** Raw (already encoded) URL pieces: valid, hostile but well-encoded, and malformed encodings. */
const rawPiece = (known: string[]) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...known) },
    { weight: 2, arbitrary: hostileText.map(percentEncode) },
    { weight: 1, arbitrary: hugeNumber },
    { weight: 1, arbitrary: fc.constantFrom('%', '%ff', '%00', '%E0%A4%A', '%ED%A0%80', '%C0%AF', 'a%00b', '%2F', '%2e%2e', '%%', '%u0000', '%zz') },
  );

const hostileJsonValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileText,
    fc.double(),
    fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map((n) => Number(n)),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(hostileText, tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** Replaces the value at a random path of a valid body: the request is realistic up to one hostile field. */
function mutate(base: unknown, pathPick: number, replacement: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(base)) as unknown;
  const paths: Array<Array<string | number>> = [];
  const walk = (v: unknown, p: Array<string | number>) => {
    paths.push(p);
    if (v && typeof v === 'object') for (const [k, c] of Object.entries(v)) walk(c, [...p, Array.isArray(v) ? Number(k) : k]);
  };
  walk(copy, []);
  const path = paths[pathPick % paths.length]!;
  if (path.length === 0) return replacement;
  let parent = copy as Json;
  for (const key of path.slice(0, -1)) parent = parent[key as string];
  parent[path[path.length - 1] as string] = replacement;
  return copy;
}

const stringify = (v: unknown) => {
  try {
    return JSON.stringify(v) ?? 'null';
  } catch {
    return 'null';
  }
};

type BodyPick = { text?: string; bytes?: Buffer };
const bodyArb = (validBodies: unknown[]): fc.Arbitrary<BodyPick> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...validBodies), fc.nat(), hostileJsonValue).map(([b, pick, v]): BodyPick => ({ text: stringify(mutate(b, pick, v)) })) },
    { weight: 2, arbitrary: hostileJsonValue.map((v): BodyPick => ({ text: stringify(v) })) },
    { weight: 1, arbitrary: fc.constantFrom(...validBodies).map((b): BodyPick => ({ text: stringify(b) })) },
    { weight: 1, arbitrary: fc.constantFrom('{"pair":', '{', '[1,', '"str"', '42', 'null', '{"a":1}}', '\u0000', '{"a":"\\ud800"}', '{"a":"\\u0000"}', `${'['.repeat(3000)}${']'.repeat(3000)}`, '{"payloads":{}}').map((text): BodyPick => ({ text })) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((bytes): BodyPick => ({ bytes: Buffer.from(bytes) })) },
  );

const contentType = fc.constantFrom('application/json', 'application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16', 'multipart/form-data; boundary=x', '');
const encoding = fc.constantFrom('', '', '', 'gzip', 'gzip-lie', 'deflate-lie', 'br-lie', 'compress', 'identity');

export function requestArb(targets: FuzzTarget[], known: { ids: string[]; validBodies: Record<string, unknown[]> }): fc.Arbitrary<FuzzRequest> {
  return fc.constantFrom(...targets).chain((target) =>
    fc
      .record({
        params: fc.array(rawPiece(known.ids), { minLength: 3, maxLength: 3 }),
        query: fc.array(fc.tuple(fc.oneof(fc.constantFrom(...target.query, 'limit', 'unknown'), hostileText.map(percentEncode)), rawPiece(['1', 'open', 'x', '500', 'peoplesoft-asana'])), { maxLength: 3 }),
        body: bodyArb(known.validBodies[target.path] ?? [{}]),
        contentType,
        encoding,
        auth: fc.constantFrom<FuzzRequest['auth']>('admin', 'admin', 'admin', 'customer', 'none', 'garbage'),
      })
      .map(({ params, query, body, contentType, encoding, auth }): FuzzRequest => {
        let i = 0;
        const path = target.path.replace(/\{(\w+)\}/g, () => params[i++] ?? 'x');
        const qs = query.map(([k, v]) => `${k}=${v}`).join('&');
        const headers: Record<string, string> = {};
        let bytes: Buffer | undefined;
        if (target.hasBody || target.method === 'POST' || target.method === 'PATCH') {
          bytes = 'bytes' in body && body.bytes ? body.bytes : Buffer.from(body.text ?? '', 'utf8');
          if (contentType) headers['content-type'] = contentType;
          if (encoding === 'gzip') {
            bytes = gzipSync(bytes);
            headers['content-encoding'] = 'gzip';
          } else if (encoding.endsWith('-lie')) headers['content-encoding'] = encoding.slice(0, -4);
          else if (encoding) headers['content-encoding'] = encoding;
        }
        return { method: target.method, url: `${path}${qs ? `?${qs}` : ''}`, headers, body: bytes, auth };
      }),
  );
}

export interface FuzzOutcome {
  histogram: Record<string, number>;
  failures: string[];
}

/** Sends one request; returns a failure description when the property does not hold. */
export async function checkOne(baseUrl: string, req: FuzzRequest, keys: Record<FuzzRequest['auth'], string | undefined>, outcome: FuzzOutcome): Promise<boolean> {
  const key = keys[req.auth];
  const res = await fetch(`${baseUrl}${req.url}`, { method: req.method, headers: { ...req.headers, ...(key ? { authorization: `Bearer ${key}` } : {}) }, body: req.body });
  const text = await res.text();
  outcome.histogram[res.status] = (outcome.histogram[res.status] ?? 0) + 1;
  const describe = `${req.method} ${req.url} [${JSON.stringify(req.headers)}] ${req.body?.subarray(0, 200).toString('utf8') ?? ''} -> ${res.status} ${text.slice(0, 300)}`;
  if (res.status >= 500) {
    outcome.failures.push(`5xx: ${describe}`);
    return false;
  }
  if (res.status >= 400) {
    let body: Json | undefined;
    try {
      body = JSON.parse(text) as Json;
    } catch {
      body = undefined;
    }
    const e = body?.error as Json | undefined;
    if (!e || typeof e.code !== 'string' || typeof e.message !== 'string' || typeof e.requestId !== 'string') {
      outcome.failures.push(`no error shape: ${describe}`);
      return false;
    }
  }
  return true;
}
