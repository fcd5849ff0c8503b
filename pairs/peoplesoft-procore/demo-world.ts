import { randomBytes } from 'node:crypto';
import { DEMO_OPRID, DEMO_PASSWORD, startPeopleSoftSimulator } from '../../simulators/peoplesoft';
import { PeopleSoftSimAdmin } from '../../simulators/peoplesoft/admin-client';
import { ProcoreSimAdmin } from '../../simulators/procore/admin-client';
import { startProcoreSimulator } from '../../simulators/procore';
import { type PairDemo } from '../types';
import { type PeopleSoftProcoreConfigInput } from './config';

const DAY = 86_400_000;

/**
 * A PeopleSoft <-> Procore connection over the simulators: what a customer's config looks like. rowCap is the cap the
 * PeopleSoft gateway really stops at (the simulator's default, 500): the inquiry has no paging, so a larger declared
 * cap makes the connector find cut-short answers by extra tail reads (connectors/peoplesoft/row-cap.ts) and fails the
 * connection test's rowcap check (demo-world.test.ts, test/pairs/peoplesoft-procore-row-cap.test.ts).
 */
export function pairConfig(psUrl: string, procoreUrl: string, companyId: string, projectIds: string[], webhookBaseUrl?: string): PeopleSoftProcoreConfigInput {
  return {
    peoplesoft: { baseUrl: psUrl, node: 'PSFT_EP', vendorSetId: 'SHARE', businessUnit: 'US001', rowCap: 500, maxWindowMs: 365 * DAY, timeoutMs: 20_000 },
    procore: { environment: 'production', apiUrl: procoreUrl, loginUrl: procoreUrl, companyId, perPage: 100 },
    projects: Object.fromEntries(projectIds.map((id, i) => [id, { projectId: `PRJ${String(i + 1).padStart(5, '0')}`, deptId: `D${String(i + 1).padStart(4, '0')}` }])),
    defaultProjectId: projectIds[0]!,
    webhooks: { apiVersion: 'v4', ...(webhookBaseUrl ? { baseUrl: webhookBaseUrl } : {}) },
    schedule: '@every 3600s',
    initialFrom: new Date(Date.now() - 400 * DAY).toISOString(),
  };
}

/** A fresh destination Authorization value, as the connection would generate it. */
export const newWebhookAuthorization = () => `Bearer ${randomBytes(32).toString('base64url')}`;

/** 120 voucher distribution lines on the first job site: the demo voucher becomes 2 direct costs (100 + 20 lines). */
const demoVoucherLines = () =>
  Array.from({ length: 120 }, (_, i) => ({ VOUCHER_LINE_NUM: i + 1, DISTRIB_LINE_NUM: 1, ACCOUNT: ['610000', '620000', '630000'][i % 3]!, PROJECT_ID: 'PRJ00001', MERCHANDISE_AMT: `${10 + i}.${String((i * 7) % 100).padStart(2, '0')}`, DESCR: `Site materials ${i + 1}` }));

/**
 * A purchase order contract the site team wrote in Procore, on a vendor an earlier import brought from PeopleSoft
 * (origin_id = its PeopleSoft key), and two approved pay applications against it: the first poll turns the commitment
 * into a PeopleSoft PO and the requisitions into vouchers on that PO.
 */
async function seedRequisitions(admin: ProcoreSimAdmin, psUrl: string, projectId: string): Promise<void> {
  const psVendor = (await new PeopleSoftSimAdmin(psUrl).rows('vendor')).find((v) => v.SETID === 'SHARE' && v.VENDOR_STATUS === 'A');
  if (!psVendor) return;
  const vendor = await admin.addVendor(String(psVendor.NAME1), `vendor:SHARE/${String(psVendor.VENDOR_ID)}`);
  const c = await admin.addCommitment({ projectId, vendorId: vendor.id, title: 'Concrete supply', lines: [{ amount: '12000.00', description: 'Ready-mix' }, { amount: '3000.00', description: 'Pump truck' }] });
  await admin.addRequisitions([
    { projectId, commitmentId: c.id, lines: [{ workCompletedThisPeriod: '4000.00', materialsPresentlyStored: '250.50' }, { workCompletedThisPeriod: '1000.00' }] },
    { projectId, commitmentId: c.id, lines: [{ workCompletedThisPeriod: '3500.25' }, { workCompletedThisPeriod: '0.00' }] },
  ]);
}

/**
 * The pair's demo (`npm start`, the conformance suite): a DMSA in the Procore simulator, two job sites with cost codes,
 * a few direct costs and change orders (one with line items on cost codes), a commitment made in Procore with two
 * requisitions, the PeopleSoft simulator's demo data with one voucher of 120 project lines (to Procore as 2 direct
 * costs), webhooks to our API, polled every minute. Edit that voucher (`/__admin/rows/voucher`) or a direct cost
 * (`/__admin/direct-costs/<id>`) to see an adjusting cost or a correcting journal at the next poll.
 */
export const connectDemo: PairDemo['connect'] = async (env) => {
  const url = env.simulators.procore!;
  const admin = new ProcoreSimAdmin(url);
  const client = await admin.registerClient();
  const world = await admin.seed({ projects: 2, directCosts: 4, linesPerDirectCost: 3, changeOrders: 2 });
  await admin.addChangeOrderWithLines(world.projectIds[0]!, [{ amount: '1850.00', costCode: '620000', description: 'Added footings' }, { amount: '75.25', description: 'Permit fee' }]);
  const psAdmin = new PeopleSoftSimAdmin(env.simulators.peoplesoft!);
  const voucher = (await psAdmin.rows('voucher'))[0];
  if (voucher) await psAdmin.updateRow('voucher', { BUSINESS_UNIT: String(voucher.BUSINESS_UNIT), VOUCHER_ID: String(voucher.VOUCHER_ID) }, { DISTRIB_LINE: demoVoucherLines() });
  await seedRequisitions(admin, env.simulators.peoplesoft!, world.projectIds[0]!);
  return {
    config: { ...pairConfig(env.simulators.peoplesoft!, url, world.companyId, world.projectIds, env.apiUrl), schedule: '@every 60s' } as Record<string, unknown>,
    credentials: {
      peoplesoft: { method: 'basic', oprid: DEMO_OPRID, password: DEMO_PASSWORD },
      procore: { method: 'client_credentials', clientId: client.clientId, clientSecret: client.clientSecret },
      procoreWebhook: { authorization: newWebhookAuthorization() },
    },
  };
};

export const demoSimulators = { peoplesoft: startPeopleSoftSimulator, procore: startProcoreSimulator };
