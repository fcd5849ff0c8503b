import { Client } from '@temporalio/client';
import { type temporal } from '@temporalio/proto';
import { createApiKey } from '../../api/auth/create-api-key';
import { revokeApiKey } from '../../db/api-keys';
import { syncWorkflowId } from '../../core/sync-messages';
import { type TestDatabase } from '../support/database';
import { eventually } from '../support/worker-process';
import { type ApiScenario, closeApiScenario, openApiScenario, CANARY } from './api-harness';

type RawPayload = temporal.api.common.v1.IPayload;
const b64 = (s: string) => Buffer.from(s).toString('base64');
const text = (v: Uint8Array | string | null | undefined) => (typeof v === 'string' ? Buffer.from(v, 'base64') : Buffer.from(v ?? [])).toString();

/** Every payload anywhere in a history event (inputs, results, signal and update args, failures' encoded attributes). */
function payloadsIn(node: unknown, out: RawPayload[] = []): RawPayload[] {
  if (!node || typeof node !== 'object') return out;
  if (Array.isArray(node)) {
    for (const n of node) payloadsIn(n, out);
    return out;
  }
  const o = node as Record<string, unknown>;
  if (o.metadata && typeof o.metadata === 'object' && 'data' in o) out.push(o as RawPayload);
  // Search attributes are indexed by the server and must stay readable (they carry ids, not business data); patch
  // markers are the SDK's own bookkeeping ({"id":"__sdk_internal_patch_number:1"}), written outside the codec.
  for (const [k, v] of Object.entries(o)) if (!['searchAttributes', 'indexedFields', 'markerRecordedEventAttributes'].includes(k)) payloadsIn(v, out);
  return out;
}

describe('payload encryption and the /codec endpoints', () => {
  let db: TestDatabase;
  let client: Client;
  let s: ApiScenario;
  const id = 'codec-acme-1';

  beforeAll(async () => {
    ({ db, client, s } = await openApiScenario('codec-api', { voucher: 3, requisition: 3 }));
    expect((await s.call('POST', '/v1/connections', { body: s.connectionBody(id) })).status).toBe(201);
    await s.startWorker();
    await eventually(async () => {
      const r = await s.call('GET', `/v1/connections/${id}/status`);
      return r.status === 200 && r.body.totals.polls >= 1 && r.body.state === 'idle';
    }, 120_000, 'first poll');
  }, 180_000);
  afterAll(() => closeApiScenario({ db, client, s }, [syncWorkflowId(id)]));

  async function rawHistoryPayloads(): Promise<RawPayload[]> {
    // A client without our data converter sees what the Temporal server (and its database) stores.
    const plain = new Client({ connection: client.connection, namespace: client.options.namespace });
    const history = await plain.workflow.getHandle(syncWorkflowId(id)).fetchHistory();
    return payloadsIn(history.events);
  }

  it('stores every workflow and activity payload encrypted, readable only through the codec', async () => {
    const payloads = await rawHistoryPayloads();
    expect(payloads.length).toBeGreaterThan(3);
    for (const p of payloads) {
      expect(text(p.metadata?.encoding)).toBe('binary/encrypted');
      expect(text(p.data)).not.toContain(id);
    }
    // The start input, decoded through the endpoint the Temporal UI calls.
    const wire = payloads.map((p) => ({ metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])), data: Buffer.from(p.data ?? []).toString('base64') }));
    const res = await s.call('POST', '/codec/decode', { body: { payloads: wire } });
    expect(res.status).toBe(200);
    const decoded = res.body.payloads as Array<{ metadata: Record<string, string>; data: string }>;
    expect(decoded).toHaveLength(wire.length);
    expect(decoded.map((p) => text(p.metadata.encoding))).not.toContain('binary/encrypted');
    // Among them the workflow's start input (the static summary comes first in the started event).
    const texts = decoded.map((p) => text(p.data));
    expect(texts.some((t) => t.startsWith('{') && (JSON.parse(t) as { connectionId?: string }).connectionId === id)).toBe(true);
    // Credentials never travel in payloads, encrypted or not.
    expect(texts.join('\n')).not.toContain(CANARY.password);
  });

  it('round-trips encode and decode, passes unencrypted payloads through, and refuses a tampered one', async () => {
    const plainJson = { metadata: { encoding: b64('json/plain') }, data: b64('{"voucher":"V-1"}') };
    const enc = await s.call('POST', '/codec/encode', { body: { payloads: [plainJson] } });
    expect(enc.status).toBe(200);
    expect(text(enc.body.payloads[0].metadata.encoding)).toBe('binary/encrypted');
    const dec = await s.call('POST', '/codec/decode', { body: { payloads: [enc.body.payloads[0], plainJson] } });
    expect(dec.body.payloads).toEqual([plainJson, plainJson]);

    const bytes = Buffer.from(enc.body.payloads[0].data, 'base64');
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 1, bytes.length - 1);
    const tampered = await s.call('POST', '/codec/decode', { body: { payloads: [{ ...enc.body.payloads[0], data: bytes.toString('base64') }] } });
    expect(tampered.status).toBe(422);
    expect(tampered.body.error.message).toMatch(/could not be decrypted/);
    expect((await s.call('POST', '/codec/decode', { body: { payloads: [{ data: 'not base64!' }] } })).status).toBe(422);
  });

  it('needs an admin key: none is 401, a customer key is 403', async () => {
    const body = { payloads: [] };
    expect((await s.call('POST', '/codec/decode', { key: null, body })).status).toBe(401);
    const customer = await createApiKey(db.pool, { kind: 'customer', customerId: 'acme' });
    const res = await s.call('POST', '/codec/decode', { key: customer.key, body });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/admin API key/);
  });

  it('lets a browser sign in once and decode with the session cookie, only from the Temporal UI origin', async () => {
    const admin = await createApiKey(db.pool, { kind: 'admin' }, 'support');
    const signIn = await fetch(`${s.api.baseUrl}/codec/session`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `key=${encodeURIComponent(admin.key)}` });
    expect(signIn.status).toBe(200);
    const setCookie = signIn.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^mlc_codec=[0-9a-f]{8}\.\d{13}\.[\w-]{43}; Path=\/codec; Expires=.*; HttpOnly; SameSite=Strict$/);
    // The key's secret is everything after `mlc_<prefix>_`; base64url, so it may itself hold '_' (even lead with one).
    const secret = admin.key.slice(`mlc_${admin.prefix}_`.length);
    expect(secret).toHaveLength(43);
    expect(setCookie).not.toContain(secret);
    const cookie = setCookie.split(';')[0]!;

    const decode = (headers: Record<string, string>) =>
      fetch(`${s.api.baseUrl}/codec/decode`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-namespace': 'default', ...headers }, body: '{"payloads":[]}' });
    const ok = await decode({ cookie, origin: 'http://ui.test:8233' });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe('http://ui.test:8233');
    expect(ok.headers.get('access-control-allow-credentials')).toBe('true');
    expect((await decode({ cookie, origin: 'http://evil.test' })).headers.get('access-control-allow-origin')).toBeNull();

    const preflight = await fetch(`${s.api.baseUrl}/codec/decode`, { method: 'OPTIONS', headers: { origin: 'http://ui.test:8233', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('x-namespace');

    const forged = cookie.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    expect((await decode({ cookie: forged })).status).toBe(401);
    await revokeApiKey(db.pool, admin.prefix);
    expect((await decode({ cookie })).status).toBe(401);
  });
});
