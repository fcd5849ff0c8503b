import { DEMO_OPRID, DEMO_PASSWORD } from '../../simulators/peoplesoft';
import { ProcurifyAdminClient } from '../../simulators/procurify/admin-client';
import type { SeedResult } from '../../simulators/procurify/seed';
import { type PairDemo } from '../types';
import { type ChartfieldMapping, type ProcurifyPeopleSoftConfigInput } from './config';

const DAY = 86_400_000;

/** The chartfield mapping a customer would write for the seeded tenant: every code, department and location mapped. */
export function demoChartfields(codes: { code: string }[], departments: { name: string }[], locations: { name: string }[] = []): ChartfieldMapping {
  return {
    accountCodes: Object.fromEntries(codes.map((c) => [c.code, c.code.replace(/\D/g, '').slice(0, 6)])),
    departments: Object.fromEntries(departments.map((d, i) => [d.name, `D${String(i + 1).padStart(4, '0')}`])),
    locations: Object.fromEntries(locations.map((l, i) => [l.name, `OU${String(i + 1).padStart(3, '0')}`])),
    locationChartfield: 'OPERATING_UNIT',
  };
}

export function pairConfig(procurifyUrl: string, psUrl: string, chartfields: ChartfieldMapping): ProcurifyPeopleSoftConfigInput {
  return {
    procurify: { baseUrl: procurifyUrl, pageSize: 100 },
    peoplesoft: { baseUrl: psUrl, node: 'PSFT_EP', rowCap: 500, maxWindowMs: 365 * DAY, timeoutMs: 20_000 },
    businessUnit: 'US001',
    vendorSetId: 'SHARE',
    chartfields,
    schedule: '@every 3600s',
    initialFrom: new Date(Date.now() - 2 * DAY).toISOString(),
  };
}

/**
 * The pair's demo over running simulators (`npm start`, the conformance suite): an API application in the Procurify
 * simulator, the seeded tenant's codes mapped, and a connection polled every minute.
 */
export const connectDemo: PairDemo['connect'] = async (env) => {
  const procurifyUrl = env.simulators.procurify!;
  const admin = new ProcurifyAdminClient(procurifyUrl);
  const app = await admin.registerClient();
  const seed = await admin.seed({ requisitions: 10, itemsPerRequisition: 3, vendors: 3 });
  const codes = seedCodes(seed);
  const config = { ...pairConfig(procurifyUrl, env.simulators.peoplesoft!, codes), schedule: '@every 60s' };
  return {
    config: config as Record<string, unknown>,
    credentials: { peoplesoft: { method: 'basic', oprid: DEMO_OPRID, password: DEMO_PASSWORD }, procurify: { method: 'client_credentials', clientId: app.clientId, clientSecret: app.clientSecret } },
  };
};

/** The simulator seeds codes `6100-00`, `6101-00`, …, locations `Plant <l>` and departments `Dept <l>-<d>` in order: the mapping for them. */
export function seedCodes(seed: SeedResult, departmentsPerLocation = 2): ChartfieldMapping {
  const codes = seed.accountCodeIds.map((_, a) => ({ code: `6${String(100 + a).padStart(3, '0')}-00` }));
  const departments = seed.departmentIds.map((_, i) => ({ name: `Dept ${Math.floor(i / departmentsPerLocation) + 1}-${(i % departmentsPerLocation) + 1}` }));
  const locations = seed.locationIds.map((_, l) => ({ name: `Plant ${l + 1}` }));
  return demoChartfields(codes, departments, locations);
}
