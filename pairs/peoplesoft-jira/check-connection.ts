import { configCheckFailed, failedCheck } from '../system-checks';
import type { FlowContext } from '../../activities/flows/types';
import type { SystemCheck } from '../types';
import { DOCUMENT_KINDS } from './config';
import { pairContext } from './context';

/**
 * "Ping your real systems" for PeopleSoft -> Jira (`mlc connections test`), read-only: the PeopleSoft inquiries the
 * flows read, then the Jira project: each mapped custom field that is missing, and each target status an issue type's
 * workflow cannot reach, is its own failed check naming what to fix.
 */
export async function checkPeopleSoftJiraConnection(ctx: FlowContext): Promise<SystemCheck[]> {
  let pair;
  try {
    pair = pairContext(ctx);
  } catch (err) {
    return configCheckFailed(err);
  }
  const ps = await pair.peoplesoft.testConnection({ objects: ['purchaseOrder', 'requisition', 'voucher', 'vendor'], componentInterfaces: [] });
  const checks: SystemCheck[] = ps.map((c) => ({ system: 'peoplesoft', ...c }));
  const { config } = pair;
  const targets = (kind: (typeof DOCUMENT_KINDS)[number]) => {
    const map = kind === 'purchaseOrder' ? config.statuses.purchaseOrder : config.statuses.approval;
    const statuses = new Set(Object.values(map).map((t) => t.status));
    for (const s of [...statuses]) for (const v of config.via[s] ?? []) statuses.add(v);
    return [...statuses];
  };
  try {
    const result = await pair.jira.checkConnection({ customFieldNames: Object.values(config.fields), targetStatuses: Object.fromEntries(DOCUMENT_KINDS.map((k) => [config.issueTypes[k], targets(k)])) });
    if (result.problems.length === 0) checks.push({ system: 'jira', check: 'project', ok: true, message: `project ${config.jira.projectKey} has every mapped custom field, issue type and target status` });
    for (const p of result.problems) checks.push({ system: 'jira', check: p.startsWith('Status') ? 'transition' : 'custom-field', ok: false, message: p });
  } catch (err) {
    checks.push(failedCheck('jira', 'project', err));
  }
  return checks;
}
