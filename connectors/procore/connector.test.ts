import { isPartnerError, type PartnerError } from '../../core/partner-error';
import { startProcoreSimulator, type RunningProcoreSimulator } from '../../simulators/procore';
import { RateLimiterRegistry } from '../http/rate-limiter';
import { quoteBigIntegers } from './big-json';
import { createProcoreConnector, parseProcoreEvent, verifyDestinationAuthorization } from './index';

/**
 * The Procore connector against the simulator over real HTTP on 127.0.0.1: DMSA token and the company header, paging
 * by Link, 64-bit ids kept exact, sync actions with per-item errors in a 200, pacing from the X-Rate-Limit-* headers,
 * a token expiring mid-run, 503 with Retry-After, and the Webhooks API.
 */
let sim: RunningProcoreSimulator;
beforeAll(async () => {
  sim = await startProcoreSimulator({ port: 0 });
});
afterAll(async () => {
  await sim.close();
});

function connector(companyId = sim.companyId, limiters = new RateLimiterRegistry()) {
  return createProcoreConnector({ apiUrl: sim.apiUrl, loginUrl: sim.apiUrl, companyId, perPage: 50 }, { method: 'client_credentials', ...sim.client }, { limiters });
}
async function failure(promise: Promise<unknown>): Promise<PartnerError> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  if (!isPartnerError(err)) throw new Error(`expected a PartnerError, got ${String(err)}`);
  return err;
}
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000);

it('keeps integers above 2^53 exact and leaves strings and decimals alone', () => {
  expect(JSON.parse(quoteBigIntegers('{"id":9007199254740993,"name":"a 12345678901234567 b","amount":"12.30","n":12}'))).toEqual({ id: '9007199254740993', name: 'a 12345678901234567 b', amount: '12.30', n: 12 });
});

it('syncs vendors in one batched call, keeps 64-bit ids exact and dead-letters exactly the refused items', async () => {
  await sim.admin.refuseVendors(['vendor:SHARE/BAD1']);
  const procore = connector();
  const items = Array.from({ length: 120 }, (_, i) => ({ origin_id: `vendor:SHARE/V${i}`, name: `Vendor ${i}` }));
  const results = await Promise.allSettled([...items, { origin_id: 'vendor:SHARE/BAD1', name: 'Refused' }, { origin_id: 'vendor:SHARE/BLANK', name: '' }].map((i) => procore.syncVendor(i)));
  const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as PartnerError] : []));
  expect(refused.map((e) => e.code)).toEqual(['PROCORE_SYNC_ITEM_ERROR', 'PROCORE_SYNC_ITEM_ERROR']);
  expect(refused.map((e) => JSON.parse(e.rawBody!).origin_id)).toEqual(['vendor:SHARE/BAD1', 'vendor:SHARE/BLANK']);
  expect(JSON.parse(refused[1]!.rawBody!).errors).toEqual({ name: ["can't be blank"] });
  const ok = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  expect(ok).toHaveLength(120);
  // Ids above 2^53 come back digit for digit (a JSON number read as a JS number would end in a different digit).
  expect(BigInt(ok[0]!.id)).toBeGreaterThan(BigInt(Number.MAX_SAFE_INTEGER));
  const listed = await procore.listVendors(day(-1), day(1));
  expect(listed.map((v) => v.id).sort()).toEqual(ok.map((v) => v.id).sort());
  // filters[updated_at]=a...b and filters[origin_id] narrow the list (https://developers.procore.com/documentation/filtering-on-list-actions).
  expect(await procore.listVendors(day(1), day(2))).toEqual([]);
  expect((await procore.findVendorByOrigin('vendor:SHARE/V7'))?.name).toBe('Vendor 7');
  const syncCalls = (await sim.admin.requests()).filter((r) => r.path === '/rest/v1.0/vendors/sync');
  expect(syncCalls).toHaveLength(1);
  // Every call carried the company header's company (the simulator refuses others) and paged by Link: 120 / 50 = 3 pages, then one empty page and one page of one.
  expect((await sim.admin.requests()).filter((r) => r.path === '/rest/v1.0/vendors' && r.method === 'GET')).toHaveLength(5);
});

it('refuses a company the app is not connected to with a hint, and a missing company header is refused by Procore', async () => {
  const err = await failure(connector('12345').listVendors(day(-1), day(1)));
  expect(err).toMatchObject({ status: 403, code: 'PROCORE_HTTP_403' });
  const token = await fetch(`${sim.apiUrl}/oauth/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', client_id: sim.client.clientId, client_secret: sim.client.clientSecret }) });
  const { access_token } = (await token.json()) as { access_token: string };
  const res = await fetch(`${sim.apiUrl}/rest/v1.0/vendors`, { headers: { authorization: `Bearer ${access_token}` } });
  expect(res.status).toBe(400);
  expect(await res.text()).toContain('Missing Procore-Company-Id header!');
});

it('paces from X-Rate-Limit-* so a burst past the spike limit gets no 429, and a token expiring mid-run is invisible', async () => {
  await sim.admin.setRateLimits({ spike: 10, spikeWindowMs: 2_000, hourly: 3600 });
  const procore = connector();
  const before = (await sim.admin.rateLimits()).counts;
  const issuedBefore = (await sim.admin.tokenStats()).issued;
  for (let i = 0; i < 12; i++) await procore.listCostCodes('1');
  await sim.admin.advanceClock(5_400_000);
  for (let i = 0; i < 12; i++) await procore.listCostCodes('1');
  const after = (await sim.admin.rateLimits()).counts;
  expect(after.requests - before.requests).toBeGreaterThanOrEqual(24);
  expect(after.tooManyRequests - before.tooManyRequests).toBe(0);
  expect(procore.stats.tooManyRequests).toBe(0);
  // One 401 after the clock moved past 5,400 s, one new token, and no call failed.
  expect((await sim.admin.tokenStats()).issued - issuedBefore).toBe(2);
  await sim.admin.setRateLimits({ spike: 25, spikeWindowMs: 10_000 });
}, 60_000);

it('waits out a 503 under load (Retry-After) and a 429 (X-Rate-Limit-Reset) instead of failing', async () => {
  const procore = connector();
  await sim.admin.setFaults({ errorRate: 1, errorStatus: 503, seed: 3 });
  const pending = procore.listCostCodes('1');
  await new Promise((r) => setTimeout(r, 300));
  await sim.admin.setFaults({});
  await expect(pending).resolves.toEqual([]);
  await sim.admin.setFaults({ burst429: { count: 1, retryAfterSeconds: 1 } });
  await expect(procore.listCostCodes('1')).resolves.toEqual([]);
  expect(procore.stats.tooManyRequests).toBe(1);
});

it('registers a hook with our Authorization header and a trigger, and lists failing deliveries', async () => {
  const procore = connector();
  const hook = await procore.webhooks.createHook({ namespace: 'mlc-test', destinationUrl: 'http://127.0.0.1:9/nowhere', authorization: 'Bearer s3cret', apiVersion: 'v4' });
  await procore.webhooks.createTrigger(hook.id, 'Direct Costs', 'create');
  expect((await procore.webhooks.listTriggers(hook.id)).map((t) => t.resource_name)).toEqual(['Direct Costs']);
  const { projectIds } = await sim.admin.seed({ projects: 1 });
  await sim.admin.addDirectCost(projectIds[0]!, ['10.00']);
  const failing = await (async () => {
    for (let i = 0; i < 50; i++) {
      const f = await procore.webhooks.failingDeliveries(hook.id);
      if (f.length > 0) return f;
      await new Promise((r) => setTimeout(r, 100));
    }
    return [];
  })();
  expect(failing.length).toBeGreaterThan(0);
  expect(failing[0]!.outcome).toBe('retried');
  // The header value is never shown back.
  expect(JSON.stringify(await procore.webhooks.listHooks())).not.toContain('s3cret');
});

it('reads webhook payloads v2, v3 and v4 into one event shape, keyed by the ULID, and compares the Authorization header exactly', () => {
  const v2 = { id: '9007199254741234', ulid: '01JDQ2W8Z5B7C9D1E3F5G7H9JK', api_version: 'v2', event_type: 'create', resource_name: 'Direct Costs', resource_id: '9007199254741235', project_id: 42, company_id: 7, timestamp: '2026-11-30T00:00:00Z' };
  const v3 = { ...v2, api_version: 'v3.0', related_resources: [] };
  const v4 = { id: '01JDQ2W8Z5B7C9D1E3F5G7H9JK', api_version: 'v4.0', reason: 'create', resource_type: 'Direct Costs', resource_id: '9007199254741235', project_id: '42', company_id: '7' };
  const expected = { eventId: '01JDQ2W8Z5B7C9D1E3F5G7H9JK', eventType: 'create', resourceName: 'Direct Costs', resourceId: '9007199254741235', projectId: '42', companyId: '7' };
  // As received: the raw text, so the 64-bit resource id keeps its digits.
  const read = (p: object) => parseProcoreEvent(JSON.parse(quoteBigIntegers(JSON.stringify(p).replace(/"(\d{16,})"/g, '$1'))));
  expect(read(v2)).toMatchObject({ ...expected, apiVersion: 'v2' });
  expect(read(v3)).toMatchObject({ ...expected, apiVersion: 'v3.0' });
  expect(parseProcoreEvent(v4)).toMatchObject({ ...expected, apiVersion: 'v4.0' });
  expect(parseProcoreEvent({ hello: 'world' })).toBeUndefined();
  expect(verifyDestinationAuthorization('Bearer abc', 'Bearer abc')).toBe(true);
  expect(verifyDestinationAuthorization('Bearer abd', 'Bearer abc')).toBe(false);
  expect(verifyDestinationAuthorization(undefined, 'Bearer abc')).toBe(false);
  expect(verifyDestinationAuthorization(['Bearer abc'], 'Bearer abc')).toBe(false);
});

it('keeps 429s under 1% through a 1,000-record sync at the documented default limits (3,600/hour, 25 per 10 s)', async () => {
  await sim.admin.setRateLimits({ hourly: 3600, spike: 25, spikeWindowMs: 10_000 });
  const before = (await sim.admin.rateLimits()).counts;
  // Two flows of one connection (two clients, one shared limiter) writing one record at a time in 4 lanes each, as the
  // engine does: 1,000 vendors in about 125 sync calls of up to 8 items, about 50 s at 2.5 requests/s.
  const limiters = new RateLimiterRegistry();
  const clients = [connector(sim.companyId, limiters), connector(sim.companyId, limiters)];
  let next = 0;
  const lane = async (c: ReturnType<typeof connector>) => {
    for (let i = next++; i < 1000; i = next++) {
      await c.syncVendor({ origin_id: `vendor:SHARE/R${i}`, name: `Rate ${i}` });
    }
  };
  await Promise.all(clients.flatMap((c) => [lane(c), lane(c), lane(c), lane(c)]));
  const after = (await sim.admin.rateLimits()).counts;
  const requests = after.requests - before.requests;
  const limited = after.tooManyRequests - before.tooManyRequests;
  process.stdout.write(`[measure] 1,000 vendors at 3,600/h and 25/10 s: ${requests} requests, ${limited} answered 429 (${((100 * limited) / requests).toFixed(2)}%)\n`);
  expect((await sim.admin.records('vendors')).filter((v) => String(v.origin_id).startsWith('vendor:SHARE/R'))).toHaveLength(1000);
  expect(limited / requests).toBeLessThan(0.01);
}, 180_000);
