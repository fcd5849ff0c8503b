import { type FlowContext } from '../../activities/flows/types';
import { componentInterfaces } from '../../connectors/peoplesoft';
import { type SystemCheck } from '../types';
import { configCheckFailed, failedCheck } from '../system-checks';
import { pairContext } from './context';

/**
 * "Ping your real systems" for a PeopleSoft <-> Asana connection, with its stored credentials and read-only calls:
 * the two inquiries and two approval CIs the flows use, then the Asana project's custom fields against the mapping
 * (every mapping problem is its own failed check, so all can be fixed in one go).
 */
export async function checkPeopleSoftAsanaConnection(ctx: FlowContext): Promise<SystemCheck[]> {
  let pair;
  try {
    pair = pairContext(ctx);
  } catch (err) {
    return configCheckFailed(err);
  }
  const ps = await pair.peoplesoft.testConnection({
    objects: ['voucher', 'requisition'],
    componentInterfaces: [componentInterfaces.voucherApproval, componentInterfaces.requisitionApproval],
  });
  const checks: SystemCheck[] = ps.map((c) => ({ system: 'peoplesoft', ...c }));
  try {
    const problems = await pair.asana.validateMapping(pair.config.fields);
    if (problems.length === 0) checks.push({ system: 'asana', check: 'custom-fields', ok: true, message: `project ${pair.config.asana.projectGid} has every mapped custom field with the expected type and options` });
    for (const p of problems) checks.push({ system: 'asana', check: `custom-field:${p.logicalField}`, ok: false, message: p.message });
  } catch (err) {
    checks.push(failedCheck('asana', 'project', err));
  }
  return checks;
}
