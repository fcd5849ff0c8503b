import { createProcurifyConnector } from '../../connectors/procurify';
import { createPartnerHttp, type PartnerHttp } from '../../connectors/http/partner-request';
import { RateLimiterRegistry } from '../../connectors/http/rate-limiter';
import { requestAccessToken } from '../../connectors/procurify/request-token';
import { startProcurifySimulator, type RunningProcurifySimulator } from '../../simulators/procurify';
import type { AsanaContract } from './asana-openapi';
import { procurifyContract } from './procurify-openapi';

/**
 * Every request the Procurify connector sends and every answer the simulator gives, checked against Procurify's
 * published spec. Calls are captured at the simulator (its request log); the token exchange, which the log leaves out
 * because it carries secrets, is captured at the connector's HTTP layer.
 */
let contract: AsanaContract;
let sim: RunningProcurifySimulator;
let app: { clientId: string; clientSecret: string };

beforeAll(async () => {
  contract = procurifyContract();
  sim = await startProcurifySimulator({ port: 0 });
  app = await sim.admin.registerClient();
});
afterAll(async () => {
  await sim.close();
});

async function drain<T>(gen: AsyncGenerator<T[], void, void>): Promise<number> {
  let n = 0;
  for await (const page of gen) n += page.length;
  return n;
}

describe('Procurify contract: connector requests and simulator responses match procurify_openapi.yaml', () => {
  it('validates every call of a full connector session, 429 included', async () => {
    const world = await sim.admin.seed({ requisitions: 30, itemsPerRequisition: 3 });
    await sim.admin.clearRequests();
    const procurify = createProcurifyConnector({ baseUrl: sim.apiUrl, auth: { clientId: app.clientId, clientSecret: app.clientSecret }, pageSize: 7 }, { limiters: new RateLimiterRegistry(), backoffBaseMs: 5 });
    const since = { from: new Date(Date.now() - 60_000), to: new Date(Date.now() + 60_000) };
    expect(await drain(procurify.listOrders({ modified: since }))).toBe(30);
    expect(await drain(procurify.listOrderItems({ lastModified: since, approved: since, orderStatus: 1 }))).toBe(90);
    expect(await drain(procurify.listOrderItems({ orderNum: world.orderNums[0] }))).toBe(3);
    expect(await drain(procurify.listVendors({ search: 'Vendor' }))).toBe(5);
    const vendor = await procurify.createVendor({ name: 'Initech', externalId: 'PS-77', address: { line1: '4120 Freidrich Ln', city: 'Austin', stateProvince: 'TX', postalCode: '78744', country: 'USA' }, emails: ['ap@initech.example.com'] });
    await procurify.updateVendor(vendor.id, { phone: '555-0142', active: true });
    await procurify.getVendor(vendor.id);
    await procurify.findVendorByExternalId('PS-77');
    await procurify.listAccountCodes({ active: true });
    await procurify.listDepartments();
    await procurify.listLocations({ active: true });
    const po = await sim.admin.addPurchaseOrder(world.vendorIds[0]!, '99.95');
    expect(await drain(procurify.listPurchaseOrders({ role: 'purchased', status: 'open', modified: since }))).toBe(1);
    await procurify.closePurchaseOrder(po.id);
    await sim.admin.setFaults({ burst429: { count: 1, retryAfterSeconds: 0 } });
    await procurify.listLocations();
    await sim.admin.setFaults({});

    const log = await sim.admin.requests();
    expect(log.length).toBeGreaterThan(25);
    expect(log.map((r) => r.status)).toContain(429);
    expect(contract.validateLog(log)).toEqual([]);
  });

  it('validates the token exchange: the JSON body the connector sends and the answer it gets', async () => {
    const real = createPartnerHttp({ partner: 'procurify', baseUrl: sim.apiUrl });
    const seen: { body: unknown; status: number; answer: unknown }[] = [];
    const recording: PartnerHttp = {
      request: async (req) => {
        const res = await real.request(req);
        seen.push({ body: JSON.parse(String(req.data)), status: res.status, answer: JSON.parse(res.data) });
        return res;
      },
    };
    await requestAccessToken(recording, { method: 'client_credentials', clientId: app.clientId, clientSecret: app.clientSecret }, 'https://api.procurify.com/', Date.now);
    expect(seen).toHaveLength(1);
    const [exchange] = seen;
    expect(exchange!.body).toEqual({ client_id: app.clientId, client_secret: app.clientSecret, audience: 'https://api.procurify.com/', grant_type: 'client_credentials' });
    expect(contract.validateRequest('POST', '/oauth/token', {}, exchange!.body)).toEqual([]);
    expect(contract.validateResponse('POST', '/oauth/token', exchange!.status, exchange!.answer)).toEqual([]);
  });

  it('catches a response that breaks the spec (the validator is not vacuous)', () => {
    const problems = contract.validateResponse('GET', '/api/v2/global/orders', 200, { data: [{ num: 'one', status: 9 }], metadata: { pagination: { count: '1' } } });
    expect(problems.join('\n')).toMatch(/status/);
    expect(contract.validateRequest('GET', '/api/v3/order-items', { modified_since: 'x' }, undefined)).toEqual(['query parameter modified_since is not defined for GET /api/v3/order-items']);
  });
});
