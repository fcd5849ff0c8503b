import { type FlowContext } from '../../activities/flows/types';
import { ciOperation, componentInterfaces, peopleSoftObjects } from '../../connectors/peoplesoft';
import { type ConnectionRow } from '../../db/connections';
import { checkPeopleSoftProcoreConnection } from '../../pairs/peoplesoft-procore/check-connection';
import { pairConfig } from '../../pairs/peoplesoft-procore/demo-world';
import { DEMO_OPRID, DEMO_PASSWORD, startPeopleSoftSimulator } from '../../simulators/peoplesoft';
import { PeopleSoftSimAdmin } from '../../simulators/peoplesoft/admin-client';
import { startProcoreSimulator, type RunningProcoreSimulator } from '../../simulators/procore';

/**
 * `mlc connections test` for a PeopleSoft <-> Procore connection, against both simulators: every PeopleSoft inquiry
 * and CI the pair's flows use is called (read-only: no CI creates anything), an inactive one is named, and a declared
 * rowCap above what the gateway really returns fails naming the rowCap to declare.
 */
const DAY = 86_400_000;
let ps: Awaited<ReturnType<typeof startPeopleSoftSimulator>>;
let psAdmin: PeopleSoftSimAdmin;
let procore: RunningProcoreSimulator;
let companyId: string;
let projectIds: string[];

beforeAll(async () => {
  ps = await startPeopleSoftSimulator({ port: 0, demoRecords: 20 });
  psAdmin = new PeopleSoftSimAdmin(ps.baseUrl);
  procore = await startProcoreSimulator({ port: 0 });
  const world = await procore.admin.seed({ projects: 1, directCosts: 0, changeOrders: 0 });
  companyId = world.companyId;
  projectIds = world.projectIds;
});
afterAll(async () => {
  await procore.close();
  await ps.close();
});

function context(peoplesoft: Record<string, unknown> = {}): FlowContext {
  const config = pairConfig(ps.baseUrl, procore.apiUrl, companyId, projectIds);
  const connection = { id: 'procore-check', customer_id: 'acme', pair: 'peoplesoft-procore', config: { ...config, peoplesoft: { ...config.peoplesoft, ...peoplesoft } }, created_at: new Date() } as unknown as ConnectionRow;
  const credentials = { peoplesoft: { method: 'basic', oprid: DEMO_OPRID, password: DEMO_PASSWORD }, procore: { method: 'client_credentials', ...procore.client }, procoreWebhook: { authorization: 'Bearer a-destination-header-value' } };
  return { connection, credentials };
}

const inquiry = (object: keyof typeof peopleSoftObjects) => `rest:${peopleSoftObjects[object].operation}`;

describe('PeopleSoft <-> Procore connection test', () => {
  it('calls the voucher and GL account inquiries and the voucher CI the flows use, and creates nothing', async () => {
    const before = { effects: (await psAdmin.effects()).length, vouchers: (await psAdmin.rows('voucher')).length };
    const checks = await checkPeopleSoftProcoreConnection(context());
    expect(checks.filter((c) => !c.ok)).toEqual([]);
    expect(checks.map((c) => c.check)).toEqual(
      expect.arrayContaining([
        inquiry('voucher'),
        inquiry('glAccount'),
        inquiry('journalLine'),
        inquiry('vendor'),
        inquiry('purchaseOrder'),
        `rowcap:${peopleSoftObjects.voucher.operation}`,
        `soap:${ciOperation(componentInterfaces.voucher, 'Get')}`,
        `soap:${ciOperation(componentInterfaces.purchaseOrder, 'Get')}`,
        `soap:${ciOperation(componentInterfaces.journal, 'Get')}`,
        'token',
        `project:${projectIds[0]}`,
      ]),
    );
    // Read-only: no CI Create or Update reached the gateway, no voucher appeared.
    expect((await psAdmin.effects()).length).toBe(before.effects);
    expect((await psAdmin.rows('voucher')).length).toBe(before.vouchers);
    const requests = await psAdmin.requests();
    expect(Object.keys(requests).filter((op) => /_(C|UP)$/.test(op))).toEqual([]);
  });

  it('names an inactive voucher inquiry, GL account inquiry and voucher CI, each with what the administrator must do', async () => {
    const ops = [peopleSoftObjects.voucher.operation, peopleSoftObjects.glAccount.operation, ciOperation(componentInterfaces.voucher, 'Get')];
    for (const op of ops) await psAdmin.setOperationActive(op, false);
    try {
      const failed = (await checkPeopleSoftProcoreConnection(context())).filter((c) => !c.ok);
      expect(failed.map((c) => c.check).sort()).toEqual([inquiry('glAccount'), inquiry('voucher'), `soap:${ops[2]}`].sort());
      for (const c of failed) expect(c.message).toMatch(/activat/i);
    } finally {
      for (const op of ops) await psAdmin.setOperationActive(op, true);
    }
  });

  it('fails the voucher rowcap check naming rowCap 500 when the connection declares 5,000 and the gateway stops at 500', async () => {
    const now = Date.parse(await psAdmin.now());
    await psAdmin.seed({ recordsPerObject: 0, counts: { voucher: 601 }, replace: false, from: new Date(now - 3 * DAY).toISOString(), to: new Date(now - DAY).toISOString() });
    const failed = (await checkPeopleSoftProcoreConnection(context({ rowCap: 5_000 }))).filter((c) => !c.ok);
    expect(failed).toEqual([expect.objectContaining({ system: 'peoplesoft', check: `rowcap:${peopleSoftObjects.voucher.operation}`, ok: false, code: 'PS_ROW_CAP_ABOVE_GATEWAY' })]);
    expect(failed[0]?.message).toContain('set rowCap: 500');
    // The demo config declares what the gateway returns: the same data passes.
    expect((await checkPeopleSoftProcoreConnection(context())).filter((c) => !c.ok)).toEqual([]);
  });
});
