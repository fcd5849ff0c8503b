import { type FlowContext } from '../../activities/flows/types';
import { componentInterfaces } from '../../connectors/peoplesoft';
import { type SystemCheck } from '../types';
import { configCheckFailed, failedCheck } from '../system-checks';
import { pairContext } from './context';

/**
 * "Ping your real systems" for a PeopleSoft <-> JAGGAER connection, read-only: the PeopleSoft inquiries and CIs the
 * flows use, a JAGGAER token, then one page of each JAGGAER list through this connection's provider description (so
 * a wrong path or list key shows here, not in the first sync).
 */
export async function checkPeopleSoftJaggaerConnection(ctx: FlowContext): Promise<SystemCheck[]> {
  let pair;
  try {
    pair = pairContext(ctx);
  } catch (err) {
    return configCheckFailed(err);
  }
  const ps = await pair.peoplesoft.testConnection({
    objects: ['vendor', 'requisition', 'glAccount'],
    componentInterfaces: [componentInterfaces.vendor, componentInterfaces.purchaseOrder, componentInterfaces.voucher],
  });
  const checks: SystemCheck[] = ps.map((c) => ({ system: 'peoplesoft', ...c }));
  try {
    await pair.jaggaer.authorize();
    checks.push({ system: 'jaggaer', check: 'token', ok: true, message: 'the integration client gets a token from the J1p-integrations realm' });
  } catch (err) {
    checks.push(failedCheck('jaggaer', 'token', err));
    return checks;
  }
  const lists = [
    ['suppliers', () => pair.jaggaer.listSuppliersPage()],
    ['requisitions', () => pair.jaggaer.listRequisitionsPage()],
    ['purchaseOrders', () => pair.jaggaer.listPurchaseOrdersPage()],
    ['invoices', () => pair.jaggaer.listInvoicesPage()],
    ['accounts', () => pair.jaggaer.listAccountsPage()],
  ] as const;
  for (const [name, list] of lists) {
    try {
      const page = await list();
      checks.push({ system: 'jaggaer', check: `list:${name}`, ok: true, message: `${name} answer in the expected envelope (${page.totRecords} records)` });
    } catch (err) {
      checks.push(failedCheck('jaggaer', `list:${name}`, err));
    }
  }
  return checks;
}
