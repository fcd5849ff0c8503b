import { type FlowContext } from '../../activities/flows/types';
import { componentInterfaces } from '../../connectors/peoplesoft';
import { type SystemCheck } from '../types';
import { configCheckFailed, failedCheck } from '../system-checks';
import { pairContext } from './context';

/**
 * Every PeopleSoft inquiry the flows read (vendors, POs, vouchers for costs, GL accounts for cost codes, posted journal
 * lines for corrections) and every CI they write through (POs from commitments, vouchers from requisitions, journals
 * from cost changes). CIs are probed with a Get on a key that does not exist: nothing is created.
 */
export const procorePeopleSoftObjects = ['vendor', 'purchaseOrder', 'voucher', 'glAccount', 'journalLine'] as const;
export const procoreComponentInterfaces = [componentInterfaces.purchaseOrder, componentInterfaces.voucher, componentInterfaces.journal];

/**
 * "Ping your real systems", read-only: the PeopleSoft inquiries and CIs the flows use, a DMSA token, then the cost
 * codes of each configured project (proves the company header, the DMSA's permission on the project, and the paging).
 */
export async function checkPeopleSoftProcoreConnection(ctx: FlowContext): Promise<SystemCheck[]> {
  let pair;
  try {
    pair = pairContext(ctx);
  } catch (err) {
    return configCheckFailed(err);
  }
  const ps = await pair.peoplesoft.testConnection({ objects: [...procorePeopleSoftObjects], componentInterfaces: procoreComponentInterfaces });
  const checks: SystemCheck[] = ps.map((c) => ({ system: 'peoplesoft', ...c }));
  try {
    await pair.procore.authorize();
    checks.push({ system: 'procore', check: 'token', ok: true, message: 'the DMSA gets a token' });
  } catch (err) {
    checks.push(failedCheck('procore', 'token', err));
    return checks;
  }
  for (const projectId of Object.keys(pair.config.projects)) {
    try {
      const codes = await pair.procore.listCostCodes(projectId);
      checks.push({ system: 'procore', check: `project:${projectId}`, ok: true, message: `project ${projectId} answers (${codes.length} cost codes)` });
    } catch (err) {
      checks.push(failedCheck('procore', `project:${projectId}`, err));
    }
  }
  return checks;
}
