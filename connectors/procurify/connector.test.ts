import { isPartnerError, type PartnerError } from '../../core/partner-error';
import { startProcurifySimulator, type RunningProcurifySimulator } from '../../simulators/procurify';
import type { SeedResult } from '../../simulators/procurify/seed';
import { RateLimiterRegistry } from '../http/rate-limiter';
import { createProcurifyConnector } from './connector';
import { ORDER_STATUS } from './status-codes';

/** The connector against the simulator over real HTTP on 127.0.0.1: paging, filters, vendors, reference data, POs. */
let sim: RunningProcurifySimulator;
let world: SeedResult;
let app: { clientId: string; clientSecret: string };

beforeAll(async () => {
  sim = await startProcurifySimulator({ port: 0, domain: 'acme' });
  app = await sim.admin.registerClient();
});
afterAll(async () => {
  await sim.close();
});
beforeEach(async () => {
  world = await sim.admin.seed({ requisitions: 23, itemsPerRequisition: 3, vendors: 4, accountCodes: 3 });
  await sim.admin.setFaults({});
  await sim.admin.clearRequests();
});

const connector = (pageSize = 10, extra: { backoffBaseMs?: number; maxRetries?: number } = {}) =>
  createProcurifyConnector(
    { baseUrl: sim.apiUrl, auth: { clientId: app.clientId, clientSecret: app.clientSecret }, pageSize },
    { limiters: new RateLimiterRegistry(), backoffBaseMs: 5, ...extra },
  );

async function collect<T>(gen: AsyncGenerator<T[], void, void>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of gen) out.push(...page);
  return out;
}

async function failure(p: Promise<unknown>): Promise<PartnerError> {
  try {
    await p;
  } catch (err) {
    if (isPartnerError(err)) return err;
    throw err;
  }
  throw new Error('expected a PartnerError');
}

describe('Procurify connector', () => {
  it('walks every page of approved requisitions through the full next links, with the date filter sent on each', async () => {
    const procurify = connector(10);
    const pending = await sim.admin.createRequisition({ departmentId: world.departmentIds[0]!, approved: false, items: [{ name: 'Pending', quantity: '1', price: '1.00', vendorId: world.vendorIds[0]!, accountId: world.accountIds[0]! }] });
    const from = new Date(Date.now() - 3_600_000);
    const orders = await collect(procurify.listOrders({ modified: { from } }));
    expect(orders.map((o) => o.num)).toEqual(world.orderNums);
    expect(orders.every((o) => o.status === ORDER_STATUS.APPROVED)).toBe(true);
    expect(orders.map((o) => o.num)).not.toContain(pending.order.num);
    const log = await sim.admin.requests();
    expect(log.map((r) => r.query.page)).toEqual(['1', '2', '3']);
    for (const r of log) expect(r.query).toMatchObject({ status: '1', modified_date_0: from.toISOString().slice(0, 10), page_size: '10' });

    const future = await collect(procurify.listOrders({ modified: { from: new Date(Date.now() + 2 * 86_400_000) } }));
    expect(future).toEqual([]);
  });

  it('reads order items of one requisition with decimal strings intact, and filters on approved_datetime and last_modified', async () => {
    const procurify = connector(50);
    const num = world.orderNums[4]!;
    const items = await collect(procurify.listOrderItems({ orderNum: num }));
    expect(items).toHaveLength(3);
    for (const item of items) {
      expect(item.orderNum).toBe(num);
      expect(item.quantity).toMatch(/^\d+\.\d{3}$/);
      expect(item.price).toMatch(/^\d+\.\d{4}$/);
      expect(typeof item.quantity).toBe('string');
    }
    const edited = items[0]!;
    // The filters take whole days (format: date): the edit happens two days after the seed.
    const seededAt = await sim.admin.now();
    const after = await sim.admin.advanceClock(2 * 86_400_000);
    await sim.admin.editOrderItem(edited.id, { quantity: '12.50000', price: '0.12345678' });
    const changed = await collect(procurify.listOrderItems({ lastModified: { from: after } }));
    expect(changed.map((i) => [i.id, i.quantity, i.price])).toEqual([[edited.id, '12.50000', '0.12345678']]);
    const approvedLater = await collect(procurify.listOrderItems({ approved: { from: after } }));
    expect(approvedLater).toEqual([]);
    const all = await collect(procurify.listOrderItems({ approved: { to: seededAt } }));
    expect(all).toHaveLength(23 * 3);
  });

  it('creates, finds and patches vendors, sending Procurify mixed-case keys', async () => {
    const procurify = connector();
    const created = await procurify.createVendor({
      name: 'Acme Bolts',
      externalId: 'PS-0000012',
      address: { line1: '1 Bolt St', city: 'Tacoma', stateProvince: 'WA', postalCode: '98402', country: 'USA' },
      phone: '555-0101',
      emails: ['ar@acmebolts.example.com'],
    });
    expect(created).toMatchObject({ name: 'Acme Bolts', externalId: 'PS-0000012', address: { line1: '1 Bolt St', stateProvince: 'WA', postalCode: '98402' } });
    const post = (await sim.admin.requests()).find((r) => r.method === 'POST');
    expect(post?.body).toMatchObject({ addressLineOne: '1 Bolt St', state_province: 'WA', postalCode: '98402', phoneOne: '555-0101', external_id: 'PS-0000012', type: 3 });

    const found = await procurify.findVendorByExternalId('PS-0000012');
    expect(found?.id).toBe(created.id);
    expect(await procurify.findVendorByExternalId('PS-missing')).toBeUndefined();

    const patched = await procurify.updateVendor(created.id, { address: { city: 'Olympia' } });
    expect(patched.address).toMatchObject({ city: 'Olympia', line1: '1 Bolt St' });
    const patch = (await sim.admin.requests()).find((r) => r.method === 'PATCH');
    expect(patch?.body).toEqual({ city: 'Olympia' });
    expect((await procurify.getVendor(created.id)).address.city).toBe('Olympia');
  });

  it('reads account codes, departments (with their location) and locations across pages', async () => {
    const procurify = connector(2);
    const codes = await procurify.listAccountCodes();
    expect(codes.map((c) => c.id)).toEqual(world.accountCodeIds);
    const departments = await procurify.listDepartments();
    expect(departments.map((d) => d.id)).toEqual(world.departmentIds);
    expect(new Set(departments.map((d) => d.branch.id))).toEqual(new Set(world.locationIds));
    const locations = await procurify.listLocations();
    expect(locations.map((l) => l.id)).toEqual(world.locationIds);
  });

  it('lists purchase orders by role and status, and closes one', async () => {
    const procurify = connector();
    const po = await sim.admin.addPurchaseOrder(world.vendorIds[0]!, '125.40');
    const open = await collect(procurify.listPurchaseOrders({ status: 'open' }));
    expect(open.map((p) => [p.procurify_PO, p.total])).toEqual([[po.id, '125.40']]);
    const closed = await procurify.closePurchaseOrder(po.id);
    expect(closed.state).toBe(3);
    expect(await collect(procurify.listPurchaseOrders({ status: 'open' }))).toEqual([]);
    expect((await collect(procurify.listPurchaseOrders({ status: 'closed' }))).map((p) => p.procurify_PO)).toEqual([po.id]);
  });

  it('retries a 429 burst and 5xx answers on reads, then reports a persistent 5xx as transient', async () => {
    const procurify = connector();
    await sim.admin.setFaults({ burst429: { count: 2, retryAfterSeconds: 0 } });
    expect(await procurify.listAccountCodes()).toHaveLength(3);
    await sim.admin.setFaults({ errorRate: 1, errorStatus: 503 });
    const err = await failure(procurify.listAccountCodes());
    expect(err).toMatchObject({ status: 503, code: 'PROCURIFY_HTTP_503', decision: { retry: true } });
    expect((await sim.admin.faults()).injected.errors).toBe(5);
  });

  it('names the field Procurify refused on a bad write, as a permanent error', async () => {
    const err = await failure(connector().createVendor({ name: 'x'.repeat(151) }));
    expect(err).toMatchObject({ status: 400, code: 'PROCURIFY_INVALID_REQUEST', decision: { retry: false } });
    expect(err.message).toContain('name:');
  });

  it('rejects a missing domain and baseUrl with a message naming the field', () => {
    expect(() => createProcurifyConnector({ auth: { clientId: 'a', clientSecret: 'b' } })).toThrow(/domain/);
    expect(createProcurifyConnector({ domain: 'acme', auth: { clientId: 'a', clientSecret: 'b' } }).client.config.baseUrl).toBe('https://acme.procurify.com');
  });
});
