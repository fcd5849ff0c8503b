import { request } from 'node:http';
import { startProcurifySimulator, type RunningProcurifySimulator } from '.';
import type { SeedResult } from './seed';

/** The simulator as Procurify documents it, called with plain fetch (no connector): what any client would meet. */
let sim: RunningProcurifySimulator;
let world: SeedResult;
let token: string;
const client = { clientId: 'sim-test', clientSecret: 'sim-secret' };
const DAY = 86_400_000;

async function grant(body: Record<string, string | undefined> = {}): Promise<Response> {
  return fetch(`${sim.apiUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_id: client.clientId, client_secret: client.clientSecret, audience: 'https://api.procurify.com/', grant_type: 'client_credentials', ...body }),
  });
}

// Answers are arbitrary JSON read field by field in the assertions.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function api(path: string, init: { headers?: Record<string, string>; method?: string; body?: unknown } = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(`${sim.apiUrl}${path}`, {
    method: init.method ?? 'GET',
    headers: { Authorization: `Bearer ${token}`, 'X-Procurify-Client': 'api', ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  return { status: res.status, body: text.startsWith('{') ? JSON.parse(text) : text };
}

beforeAll(async () => {
  sim = await startProcurifySimulator({ port: 0, domain: 'acme' });
  await sim.admin.registerClient({ ...client, email: 'it@acme.example.com' });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(async () => {
  world = await sim.admin.seed({ requisitions: 12, itemsPerRequisition: 2 });
  token = ((await (await grant()).json()) as { access_token: string }).access_token;
  await sim.admin.setFaults({});
});

describe('Procurify simulator: auth', () => {
  it('grants a 24 h bearer token with the tenant and email in its scope, and refuses wrong secrets and audiences', async () => {
    const res = await grant();
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ expires_in: 86400, token_type: 'Bearer', scope: 'urn:procurify-api:domain:acme urn:procurify-api:email:it@acme.example.com' });
    expect((await grant({ client_secret: 'nope' })).status).toBe(401);
    expect((await grant({ audience: 'https://example.com/' })).status).toBe(403);
    expect(await (await grant({ grant_type: 'password' })).json()).toEqual({ error: 'unsupported_grant_type', error_description: 'Unsupported grant type: password' });
    expect(await (await grant({ grant_type: undefined })).json()).toEqual({ error: 'invalid_request', error_description: 'Missing required parameter: grant_type' });
  });

  it('needs X-Procurify-Client: api besides the bearer token, and lets a token die after 24 h on its clock', async () => {
    expect(await api('/api/v3/account-codes', { headers: { 'X-Procurify-Client': 'web' } })).toEqual({ status: 403, body: { detail: 'Authentication credentials were not provided.' } });
    expect((await api('/api/v3/account-codes', { headers: { Authorization: '' } })).status).toBe(401);
    expect((await api('/api/v3/account-codes', { headers: { Authorization: 'Bearer forged' } })).body).toEqual({ detail: 'Invalid token.' });
    await sim.admin.advanceClock(DAY - 60_000);
    expect((await api('/api/v3/account-codes')).status).toBe(200);
    await sim.admin.advanceClock(60_000);
    expect(await api('/api/v3/account-codes')).toEqual({ status: 401, body: { detail: 'Token has expired.' } });
  });

  it('answers only its own tenant host', async () => {
    // fetch() does not let a caller set Host; node:http does.
    const withHost = (host: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request(`${sim.apiUrl}/api/v3/account-codes`, { headers: { Host: host, Authorization: `Bearer ${token}`, 'X-Procurify-Client': 'api' } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    expect(await withHost('acme.procurify.com')).toBe(200);
    expect(await withHost('globex.procurify.com')).toBe(404);
  });
});

describe('Procurify simulator: lists', () => {
  it('pages with metadata.pagination and absolute next/previous links that keep the filters', async () => {
    const first = await api('/api/v2/global/orders?status=1&page_size=5');
    expect(first.body.metadata.pagination).toMatchObject({ count: 12, page_size: 5, num_pages: 3, current_page: 1, previous: null });
    const next = new URL(first.body.metadata.pagination.next);
    expect(next.origin).toBe(sim.apiUrl);
    expect(Object.fromEntries(next.searchParams)).toEqual({ status: '1', page_size: '5', page: '2' });
    const third = await api('/api/v2/global/orders?status=1&page_size=5&page=3');
    expect(third.body.data).toHaveLength(2);
    expect(third.body.metadata.pagination.next).toBeNull();
    expect(await api('/api/v2/global/orders?page=4&page_size=5')).toEqual({ status: 404, body: { detail: 'Invalid page.' } });
    expect((await api('/api/v2/global/orders?page_size=1000')).body.metadata.pagination.page_size).toBe(100);
  });

  it("answers like Django REST Framework: field errors with DRF's texts, nested by list index, and Django's HTML 404 for an unknown URL", async () => {
    const refused = await api('/api/v3/vendors', { method: 'POST', body: { name: '', email: ['ap@', 'ok@example.com'], type: 5, overall_score: 'high', active: 'yes' } });
    expect(refused).toEqual({
      status: 400,
      body: {
        name: ['This field may not be blank.'],
        email: { '0': ['Enter a valid email address.'] },
        type: ['"5" is not a valid choice.'],
        overall_score: ['A valid number is required.'],
        active: ['Must be a valid boolean.'],
      },
    });
    expect((await api('/api/v3/vendors', { method: 'POST', body: { name: 'X'.repeat(151), email: 'ap@example.com' } })).body).toEqual({
      name: ['Ensure this field has no more than 150 characters.'],
      email: ['Expected a list of items but got type "str".'],
      type: ['This field is required.'],
      overall_score: ['This field is required.'],
    });
    const unknown = await api('/api/v3/no-such-endpoint');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toContain('<h1>Not Found</h1>');
    expect(await api('/api/v3/vendors/999999')).toEqual({ status: 404, body: { detail: 'Not found.' } });
  });

  it('checks integer status enums and date filters, naming the parameter', async () => {
    expect((await api('/api/v2/global/orders?status=7')).body).toEqual({ status: ['Select a valid choice. 7 is not one of the available choices.'] });
    // format: date in the spec: a datetime is refused like any other non-date.
    // Both bounds are one django-filter field: the error is keyed by the filter, not by the suffixed parameter.
    expect((await api('/api/v3/order-items?last_modified_0=yesterday')).body).toEqual({ last_modified: ['Enter a valid date.'] });
    expect((await api('/api/v3/order-items?last_modified_0=2026-01-01T00:00:00Z')).status).toBe(400);
    const now = await sim.admin.now();
    const today = now.toISOString().slice(0, 10);
    const tomorrow = new Date(now.getTime() + 86_400_000).toISOString().slice(0, 10);
    expect((await api(`/api/v3/order-items?approved_datetime_0=${tomorrow}`)).body.data).toEqual([]);
    expect((await api(`/api/v3/order-items?approved_datetime_0=${today}&approved_datetime_1=${today}&page_size=100`)).body.data).toHaveLength(24);
    expect((await api('/api/v3/order-items?orderNum__status=0')).body.data).toEqual([]);
  });

  it('serves vendors with mixed-case keys, accepts the documented trailing slash, and names missing fields on create', async () => {
    const list = await api('/api/v3/vendors/');
    expect(Object.keys(list.body.data[0])).toEqual(expect.arrayContaining(['addressLineOne', 'postalCode', 'state_province', 'phoneOne', 'external_id', 'dateModified', 'payment_term_ref']));
    const bad = await api('/api/v3/vendors', { method: 'POST', body: { name: 'No email' } });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body).sort()).toEqual(['email', 'overall_score', 'type']);
    const ok = await api('/api/v3/vendors', { method: 'POST', body: { name: 'Globex', email: [], overall_score: null, type: 3, postalCode: 'V5K 0A1' } });
    expect(ok.status).toBe(201);
    expect(ok.body.data).toMatchObject({ name: 'Globex', postalCode: 'V5K 0A1', active: true });
    const patched = await api(`/api/v3/vendors/${ok.body.data.id}`, { method: 'PATCH', body: { external_id: 'PS-1' } });
    expect(patched.body.data).toMatchObject({ external_id: 'PS-1', postalCode: 'V5K 0A1' });
    expect((await api('/api/v3/vendors?external_id=PS-1')).body.data.map((v: { id: number }) => v.id)).toEqual([ok.body.data.id]);
  });

  it('closes a PO once, refuses to close a cancelled one, and counts POs by state in the list metadata', async () => {
    const po = await sim.admin.addPurchaseOrder(world.vendorIds[0]!, '10.00');
    const closed = await api(`/api/v3/purchase-orders/${po.id}/close`, { method: 'POST' });
    expect(closed.body.data).toMatchObject({ id: po.id, state: 3 });
    expect((await api(`/api/v3/purchase-orders/${po.id}/close`, { method: 'POST' })).status).toBe(200);
    const list = await api('/api/v2/purchase_orders/purchased/closed');
    expect(list.body.metadata.counts.purchased).toMatchObject({ all: 1, closed: 1, open: 0 });
    expect((await api('/api/v2/purchase_orders/buyer/all')).status).toBe(404);
    expect((await api('/api/v3/purchase-orders/999999/close', { method: 'POST' })).status).toBe(404);
  });

  it('injects DRF throttling and Django 500 pages on API calls only', async () => {
    await sim.admin.setFaults({ burst429: { count: 1, retryAfterSeconds: 7 } });
    const throttled = await fetch(`${sim.apiUrl}/api/v3/account-codes`, { headers: { Authorization: `Bearer ${token}`, 'X-Procurify-Client': 'api' } });
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('7');
    expect(await throttled.json()).toEqual({ detail: 'Request was throttled. Expected available in 7 seconds.' });
    await sim.admin.setFaults({ errorRate: 1, errorStatus: 500 });
    const failed = await api('/api/v3/account-codes');
    expect(failed.status).toBe(500);
    expect(failed.body).toContain('Server Error (500)');
    expect((await grant()).status).toBe(200);
  });
});
