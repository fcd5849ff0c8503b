import { isPartnerError, type PartnerError } from '../../core/partner-error';
import { startProcoreSimulator, type RunningProcoreSimulator } from '../../simulators/procore';
import { createProcoreConnector, type DirectCostInput } from './index';

/**
 * Direct cost creates (v1.1) against the simulator over real HTTP: line items by cost code id with decimal strings,
 * found again by origin_id, Procore's 100-line limit per create, origin_id unique per company, and a cost carrying an
 * origin_id refused on edit (immutable).
 */
let sim: RunningProcoreSimulator;
let projectId: string;
let costCodeId: string;
let vendorId: string;
const procore = () => createProcoreConnector({ apiUrl: sim.apiUrl, loginUrl: sim.apiUrl, companyId: sim.companyId }, { method: 'client_credentials', ...sim.client });
async function failure(promise: Promise<unknown>): Promise<PartnerError> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  if (!isPartnerError(err)) throw new Error(`expected a PartnerError, got ${String(err)}`);
  return err;
}
const input = (originId: string, lines: number): DirectCostInput => ({
  direct_cost_type: 'invoice',
  direct_cost_date: '2026-11-30',
  status: 'approved',
  vendor_id: vendorId,
  description: 'PeopleSoft voucher US001/00000001',
  origin_id: originId,
  line_items_attributes: Array.from({ length: lines }, (_, i) => ({ amount: `${i}.05`, description: `Line ${i + 1}`, cost_code_id: costCodeId })),
});

beforeAll(async () => {
  sim = await startProcoreSimulator({ port: 0 });
  projectId = (await sim.admin.seed({ projects: 1, costCodes: ['610000'] })).projectIds[0]!;
  costCodeId = (await procore().listCostCodes(projectId))[0]!.id;
  vendorId = (await procore().syncVendor({ origin_id: 'vendor:SHARE/1', name: 'Acme' })).id;
});
afterAll(async () => {
  await sim.close();
});

it('creates a direct cost with its line items and finds it again by origin_id', async () => {
  const created = await procore().createDirectCost(projectId, input('voucher:US001/00000001#1', 100));
  expect(created.line_items).toHaveLength(100);
  expect(created.line_items[3]).toMatchObject({ amount: '3.05', cost_code: { id: costCodeId, code: '610000' } });
  const found = await procore().findDirectCostByOrigin(projectId, 'voucher:US001/00000001#1');
  expect(found?.id).toBe(created.id);
  expect(found?.line_items).toHaveLength(100);
  expect(await procore().findDirectCostByOrigin(projectId, 'voucher:US001/00000001#2')).toBeUndefined();
});

it('refuses more than 100 line items, a taken origin_id, and any edit of a cost carrying an origin_id', async () => {
  // Our client refuses to send 101 lines, naming the field; the simulator refuses them as Procore does.
  await expect(procore().createDirectCost(projectId, input('voucher:US001/00000002#1', 101))).rejects.toThrow(/line_items_attributes/);
  const token = (await (await fetch(`${sim.apiUrl}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ grant_type: 'client_credentials', client_id: sim.client.clientId, client_secret: sim.client.clientSecret }) })).json()) as { access_token: string };
  const raw = await fetch(`${sim.apiUrl}/rest/v1.1/projects/${projectId}/direct_costs`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token.access_token}`, 'procore-company-id': sim.companyId }, body: JSON.stringify({ direct_cost: input('voucher:US001/00000002#1', 101) }) });
  expect(raw.status).toBe(422);
  expect(await raw.text()).toContain('maximum is 100');
  const taken = await failure(procore().createDirectCost(projectId, input('voucher:US001/00000001#1', 1)));
  expect(taken.status).toBe(422);
  expect(taken.rawBody).toContain('has already been taken');
  const ours = (await sim.admin.records('directCosts')).find((d) => d.origin_id === 'voucher:US001/00000001#1')!;
  await expect(sim.admin.editDirectCost(ours.id, Array.from({ length: 100 }, () => '1.00'))).rejects.toThrow(/cannot be modified/);
});
