import { startAsanaSimulator, type RunningAsanaSimulator, type SeedResult } from '../../simulators/asana';
import { AsanaAdminClient } from '../../simulators/asana/admin-client';
import { DEMO_OPRID, DEMO_PASSWORD, startPeopleSoftSimulator } from '../../simulators/peoplesoft';
import { PeopleSoftSimAdmin } from '../../simulators/peoplesoft/admin-client';
import { type PairDemo } from '../types';
import { type PeopleSoftAsanaConfigInput } from './config';

const DAY = 86_400_000;

/** The custom fields a customer would create in the approvals project. */
export const APPROVAL_FIELDS = [
  { name: 'Invoice ID', type: 'text' as const },
  { name: 'Requisition ID', type: 'text' as const },
  { name: 'Business Unit', type: 'text' as const },
  { name: 'Vendor / Requester', type: 'text' as const },
  { name: 'Amount', type: 'number' as const, precision: 2 },
  { name: 'Due Date', type: 'date' as const },
  { name: 'Approval Status', type: 'enum' as const, enumOptions: ['Pending', 'Approved', 'Denied'] },
  { name: 'PeopleSoft Key', type: 'text' as const },
];

/** The users of the approvals workspace: the integration's own bot (its token syncs) and one approver. */
export const APPROVAL_USERS = [
  { name: 'Integration Bot', email: 'bot@example.com' },
  { name: 'Approver One', email: 'approver1@example.com' },
];

/**
 * Asana accounts of two of the PeopleSoft simulator's demo employees (KU0001, KU0002, by EMAILID; Asana keeps the case
 * a user typed). KU0003 has none, so its business unit's documents go to the fallback approver.
 */
export const ROSTER_USERS = [
  { name: 'Ada Lovelace', email: 'ku0001@example.com' },
  { name: 'Grace Hopper', email: 'KU0002@Example.com' },
];
export const DEMO_WORKSPACE_USERS = [...APPROVAL_USERS, ...ROSTER_USERS];

/**
 * Approval tasks assigned through the roster with an empty `approvers` map: each business unit's approver by OPRID
 * (the demo employees' OPRIDs), Approver One as every business unit's fallback.
 */
export function withRoster(config: PeopleSoftAsanaConfigInput, world: SeedResult): PeopleSoftAsanaConfigInput {
  const fallback = world.users.find((u) => u.email === APPROVAL_USERS[1]!.email)!.gid;
  return {
    ...config,
    approvers: {},
    businessUnitApprovers: { US001: 'OPR0001', US002: 'OPR0002', CAN01: 'OPR0003' },
    fallbackApprovers: { US001: fallback, US002: fallback, CAN01: fallback },
    flows: { ...config.flows, roster: true },
  };
}

/** A PeopleSoft <-> Asana connection over the simulators: what a customer's mapping looks like, by GID. */
export function pairConfig(world: SeedResult, psUrl: string, asanaUrl: string, apiUrl: string): PeopleSoftAsanaConfigInput {
  const f = (name: string) => world.customFields.find((c) => c.name === name)!;
  const status = f('Approval Status');
  const opt = (n: string) => status.enumOptions.find((o) => o.name === n)!.gid;
  return {
    peoplesoft: { baseUrl: psUrl, node: 'PSFT_EP', rowCap: 500, maxWindowMs: 365 * DAY, timeoutMs: 20_000 },
    asana: { baseUrl: asanaUrl, workspaceGid: world.workspaceGid, projectGid: world.projectGid },
    fields: {
      invoiceId: { fieldGid: f('Invoice ID').gid, type: 'text' },
      requisitionId: { fieldGid: f('Requisition ID').gid, type: 'text' },
      businessUnit: { fieldGid: f('Business Unit').gid, type: 'text' },
      vendorOrRequester: { fieldGid: f('Vendor / Requester').gid, type: 'text' },
      amount: { fieldGid: f('Amount').gid, type: 'number' },
      dueDate: { fieldGid: f('Due Date').gid, type: 'date' },
      status: { fieldGid: status.gid, type: 'enum', enumOptions: { P: opt('Pending'), A: opt('Approved'), D: opt('Denied') } },
      externalKey: { fieldGid: f('PeopleSoft Key').gid, type: 'text' },
    },
    approvers: { APPROVER1: world.users[1]!.gid },
    businessUnitApprovers: { US001: 'APPROVER1' },
    webhookBaseUrl: apiUrl,
    schedule: '@every 3600s',
    initialFrom: new Date(Date.now() - 100 * DAY).toISOString(),
  };
}

/**
 * The pair's demo over running simulators (`npm start`, the conformance suite): a fresh approvals workspace in the
 * Asana simulator, and a connection that reads the PeopleSoft simulator's demo data, polled every minute.
 */
export const connectDemo: PairDemo['connect'] = async (env) => {
  const asanaApi = env.simulators.asana!;
  const asana = new AsanaAdminClient(asanaApi.replace(/\/api\/1\.0$/, ''));
  const world = await asana.seed({ workspaceName: 'Demo Workspace', projectName: 'Invoice approvals', users: DEMO_WORKSPACE_USERS, customFields: APPROVAL_FIELDS });
  const config = { ...withRoster(pairConfig(world, env.simulators.peoplesoft!, asanaApi, env.apiUrl), world), schedule: '@every 60s' };
  return {
    config: config as Record<string, unknown>,
    credentials: { peoplesoft: { method: 'basic', oprid: DEMO_OPRID, password: DEMO_PASSWORD }, asana: { method: 'pat', token: world.users[0]!.token } },
  };
};

/**
 * Both simulators of the pair, seeded: PeopleSoft with the given documents (no simulated slowness) and an Asana
 * approvals project with the mapping's custom fields. Shared by the pair tests, the API tests and the benchmarks.
 */
export async function startPairSimulators(counts: { voucher: number; requisition: number }): Promise<{
  ps: Awaited<ReturnType<typeof startPeopleSoftSimulator>>;
  psAdmin: PeopleSoftSimAdmin;
  asana: RunningAsanaSimulator;
  world: SeedResult;
}> {
  const ps = await startPeopleSoftSimulator({ port: 0 });
  const psAdmin = new PeopleSoftSimAdmin(ps.baseUrl);
  await psAdmin.setConfig({ slowQuery: { msPerDay: 0, maxMs: 0 } });
  await psAdmin.seed({ recordsPerObject: 0, counts });
  const asana = await startAsanaSimulator({ port: 0 });
  const world = await asana.admin.seed({ users: APPROVAL_USERS, customFields: APPROVAL_FIELDS });
  return { ps, psAdmin, asana, world };
}
