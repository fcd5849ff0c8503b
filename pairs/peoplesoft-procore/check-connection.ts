import { type FlowContext } from '../../activities/flows/types';
import { componentInterfaces } from '../../connectors/peoplesoft';
import { type SystemCheck } from '../types';
import { configCheckFailed, failedCheck } from '../system-checks';
import { pairContext } from './context';

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
  const ps = await pair.peoplesoft.testConnection({ objects: ['vendor', 'purchaseOrder'], componentInterfaces: [componentInterfaces.purchaseOrder, componentInterfaces.journal] });
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
