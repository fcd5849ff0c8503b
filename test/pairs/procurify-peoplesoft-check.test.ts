import { type FlowContext } from '../../activities/flows/types';
import { ciOperation, componentInterfaces } from '../../connectors/peoplesoft';
import { type ConnectionRow } from '../../db/connections';
import { checkProcurifyPeopleSoftConnection } from '../../pairs/procurify-peoplesoft/check-connection';
import { pairConfig, seedCodes } from '../../pairs/procurify-peoplesoft/demo-world';
import { DEMO_OPRID, DEMO_PASSWORD, startPeopleSoftSimulator } from '../../simulators/peoplesoft';
import { PeopleSoftSimAdmin } from '../../simulators/peoplesoft/admin-client';
import { startProcurifySimulator, type RunningProcurifySimulator } from '../../simulators/procurify';
import type { SeedResult } from '../../simulators/procurify/seed';

/**
 * `mlc connections test` for a Procurify -> PeopleSoft connection, against both simulators: every PeopleSoft service
 * operation the pair uses is called, an inactive one is named with what the administrator must do, and every
 * Procurify account code or department without a chartfield is its own failed check naming it.
 */
let ps: Awaited<ReturnType<typeof startPeopleSoftSimulator>>;
let psAdmin: PeopleSoftSimAdmin;
let procurify: RunningProcurifySimulator;
let world: SeedResult;
let credentials: Record<string, unknown>;

beforeAll(async () => {
  ps = await startPeopleSoftSimulator({ port: 0 });
  psAdmin = new PeopleSoftSimAdmin(ps.baseUrl);
  procurify = await startProcurifySimulator({ port: 0 });
  const app = await procurify.admin.registerClient();
  world = await procurify.admin.seed({ accountCodes: 3 });
  credentials = { peoplesoft: { method: 'basic', oprid: DEMO_OPRID, password: DEMO_PASSWORD }, procurify: { method: 'client_credentials', clientId: app.clientId, clientSecret: app.clientSecret } };
});
afterAll(async () => {
  await procurify.close();
  await ps.close();
});

function context(chartfields = seedCodes(world)): FlowContext {
  const connection = { id: 'check-1', customer_id: 'acme', pair: 'procurify-peoplesoft', config: pairConfig(procurify.apiUrl, ps.baseUrl, chartfields), created_at: new Date() } as unknown as ConnectionRow;
  return { connection, credentials };
}

describe('Procurify -> PeopleSoft connection test', () => {
  it('passes every check when the operations are active and every code is mapped', async () => {
    const checks = await checkProcurifyPeopleSoftConnection(context());
    expect(checks.filter((c) => !c.ok)).toEqual([]);
    expect(checks.map((c) => c.check)).toEqual(
      expect.arrayContaining(['rest:MLC_VENDOR_SYNC_GET', `soap:${ciOperation(componentInterfaces.purchaseOrder, 'Get')}`, `soap:${ciOperation(componentInterfaces.vendor, 'Get')}`, 'oauth-token', 'account-codes', 'departments', 'locations']),
    );
  });

  it('names an inactive PO service operation with what the administrator must do, and each unmapped code, department and location', async () => {
    const op = ciOperation(componentInterfaces.purchaseOrder, 'Get');
    await psAdmin.setOperationActive(op, false);
    try {
      const mapping = seedCodes(world);
      delete mapping.accountCodes['6101-00'];
      delete mapping.departments['Dept 2-1'];
      delete mapping.locations['Plant 2'];
      const failed = (await checkProcurifyPeopleSoftConnection(context(mapping))).filter((c) => !c.ok);
      const inactive = failed.find((c) => c.check === `soap:${op}`);
      expect(inactive?.message).toMatch(new RegExp(`activate.*${op}`, 'i'));
      expect(failed.find((c) => c.check === 'account-code:6101-00')?.message).toBe('Procurify account code "6101-00" (Expense 2) has no PeopleSoft ACCOUNT: add it to chartfields.accountCodes');
      expect(failed.find((c) => c.check === 'department:Dept 2-1')?.message).toContain('has no PeopleSoft DEPTID');
      expect(failed.find((c) => c.check === 'location:Plant 2')?.message).toBe('Procurify location "Plant 2" has no PeopleSoft OPERATING_UNIT: add it to chartfields.locations');
      expect(failed).toHaveLength(4);
    } finally {
      await psAdmin.setOperationActive(op, true);
    }
  });

  it('also calls the voucher inquiry when the connection closes Procurify POs on vouchers', async () => {
    const ctx = context();
    const config = { ...(ctx.connection.config as Record<string, unknown>), flows: { closeOnVoucher: true } };
    const checks = await checkProcurifyPeopleSoftConnection({ ...ctx, connection: { ...ctx.connection, config } });
    expect(checks.filter((c) => !c.ok)).toEqual([]);
    expect(checks.map((c) => c.check)).toContain('rest:MLC_VOUCHER_SYNC_GET');
    expect((await checkProcurifyPeopleSoftConnection(ctx)).map((c) => c.check)).not.toContain('rest:MLC_VOUCHER_SYNC_GET');
  });

  it('reports refused Procurify credentials as one failed check with the fix', async () => {
    const ctx = context();
    const checks = await checkProcurifyPeopleSoftConnection({ ...ctx, credentials: { ...credentials, procurify: { method: 'client_credentials', clientId: 'nope', clientSecret: 'wrong' } } });
    const token = checks.find((c) => c.check === 'oauth-token');
    expect(token).toMatchObject({ ok: false, code: 'PROCURIFY_OAUTH_REFUSED' });
    expect(token!.message).toContain('Settings > Integrations > API');
    expect(JSON.stringify(checks)).not.toContain('wrong');
  });
});
