import { type FlowContext } from '../../activities/flows/types';
import { componentInterfaces } from '../../connectors/peoplesoft';
import { type SystemCheck } from '../types';
import { configCheckFailed, failedCheck } from '../system-checks';
import { pairContext, type PairContext } from './context';

/** When the mapping maps locations, every active Procurify location must have one (on OPERATING_UNIT or the chartfield it names). */
async function locationChecks(pair: PairContext): Promise<SystemCheck[]> {
  const { locations, locationChartfield: field } = pair.config.chartfields;
  if (Object.keys(locations).length === 0) return [];
  const all = await pair.procurify.listLocations({ active: true });
  const unmapped = all.filter((l) => l.active !== false && !locations[l.name]);
  if (unmapped.length === 0) return [{ system: 'mapping', check: 'locations', ok: true, message: `all ${all.length} active Procurify locations map to a ${field}` }];
  return unmapped.map((l) => ({ system: 'mapping', check: `location:${l.name}`, ok: false, message: `Procurify location "${l.name}" has no PeopleSoft ${field}: add it to chartfields.locations` }));
}

/** Every active Procurify account code and department (and location, when mapped) must have a chartfield: each unmapped one is its own failed check. */
async function mappingChecks(pair: PairContext): Promise<SystemCheck[]> {
  const checks: SystemCheck[] = [];
  const { accountCodes, departments } = pair.config.chartfields;
  try {
    const codes = await pair.procurify.listAccountCodes({ active: true });
    const unmapped = codes.filter((c) => !accountCodes[c.code]);
    for (const c of unmapped) checks.push({ system: 'mapping', check: `account-code:${c.code}`, ok: false, message: `Procurify account code "${c.code}" (${c.description}) has no PeopleSoft ACCOUNT: add it to chartfields.accountCodes` });
    if (unmapped.length === 0) checks.push({ system: 'mapping', check: 'account-codes', ok: true, message: `all ${codes.length} active Procurify account codes map to an ACCOUNT` });
    const depts = await pair.procurify.listDepartments();
    const missing = depts.filter((d) => d.active !== false && !departments[d.name]);
    for (const d of missing) checks.push({ system: 'mapping', check: `department:${d.name}`, ok: false, message: `Procurify department "${d.name}" (${d.branch.name}) has no PeopleSoft DEPTID: add it to chartfields.departments` });
    if (missing.length === 0) checks.push({ system: 'mapping', check: 'departments', ok: true, message: `all ${depts.length} Procurify departments map to a DEPTID` });
    checks.push(...(await locationChecks(pair)));
  } catch (err) {
    checks.push(failedCheck('procurify', 'api', err));
  }
  return checks;
}

/**
 * "Ping your real systems": PeopleSoft's vendor inquiry and the two CIs the pair writes through (each Get proves the
 * service operation is active, routed and permitted, or names what the administrator must activate), a Procurify
 * token, then the chartfield mapping against Procurify's live account codes and departments.
 */
export async function checkProcurifyPeopleSoftConnection(ctx: FlowContext): Promise<SystemCheck[]> {
  let pair: PairContext;
  try {
    pair = pairContext(ctx);
  } catch (err) {
    return configCheckFailed(err);
  }
  // The voucher inquiry only when the connection closes Procurify POs on vouchers.
  const objects = pair.config.flows.closeOnVoucher ? (['vendor', 'voucher'] as const) : (['vendor'] as const);
  const ps = await pair.peoplesoft.testConnection({ objects: [...objects], componentInterfaces: [componentInterfaces.purchaseOrder, componentInterfaces.vendor] });
  const checks: SystemCheck[] = ps.map((c) => ({ system: 'peoplesoft', ...c }));
  try {
    await pair.procurify.authorize();
    checks.push({ system: 'procurify', check: 'oauth-token', ok: true, message: 'Procurify granted an access token for the client credentials' });
  } catch (err) {
    checks.push(failedCheck('procurify', 'oauth-token', err));
    return checks;
  }
  return [...checks, ...(await mappingChecks(pair))];
}
