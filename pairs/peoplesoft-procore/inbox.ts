import type { InboxFactory, InboxRuntime } from '../../activities/flows/types';
import { FLOW_CHANGE_ORDERS, FLOW_DIRECT_COSTS } from './config';
import { pairContext } from './context';
import { postJournal } from './cost-flows';
import { changeOrderKey, changeOrderToJournal, directCostKey, directCostToJournal } from './map-costs';
import { isVoucherCost } from './origin-ids';
import { HANDLED_RESOURCES, parseInboxResource } from './webhook-receiver';

const DIRECTION = 'procore->peoplesoft';

/**
 * The webhook path of 'peoplesoft-procore': a direct cost or change order event -> a fresh read of the cost -> its
 * PeopleSoft journal, posted right away instead of at the next poll. The journal id is fixed per cost
 * (map-costs.ts journalIdOf), so the poll finding the same cost later, a duplicate delivery, or a replay after a crash
 * is "already applied" in PeopleSoft: the cost posts once. Commitment events are left to the poll (their PeopleSoft
 * PO goes through the flow's echo guard); the event is recorded as ignored.
 */
export const peopleSoftProcoreInbox: InboxFactory = (ctx): InboxRuntime => {
  const pair = pairContext(ctx);
  return {
    async handle(event) {
      const ref = parseInboxResource(event.resourceId);
      // An edit after posting is corrected by the poll, from the posted state its record link keeps (cost-corrections.ts).
      if (event.kind.endsWith('.update')) return { outcome: 'ignored', recordKey: event.resourceId, flow: 'procore-webhook', direction: DIRECTION };
      if (ref?.resourceName === HANDLED_RESOURCES.directCosts) {
        const key = directCostKey(ref.projectId, ref.resourceId);
        // GET /rest/v1.1/projects/{project_id}/direct_costs/{id}
        const cost = await pair.procore.getDirectCost(ref.projectId, ref.resourceId);
        if (isVoucherCost(cost.origin_id)) return { outcome: 'ignored', recordKey: key, flow: FLOW_DIRECT_COSTS, direction: DIRECTION };
        const r = await postJournal(pair, directCostToJournal(cost, ref.projectId, pair.procore.companyId, pair.config));
        return { outcome: r.outcome === 'already_applied' ? 'already_applied' : 'applied', recordKey: key, targetId: `${r.keys.BUSINESS_UNIT}/${r.keys.JOURNAL_ID}`, flow: FLOW_DIRECT_COSTS, direction: DIRECTION };
      }
      if (ref?.resourceName === HANDLED_RESOURCES.changeOrders) {
        const key = changeOrderKey(ref.projectId, ref.resourceId);
        // GET /rest/v1.0/projects/{project_id}/commitment_change_orders/{id}
        const co = await pair.procore.getChangeOrder(ref.projectId, ref.resourceId);
        const r = await postJournal(pair, changeOrderToJournal(co, ref.projectId, pair.procore.companyId, pair.config));
        return { outcome: r.outcome === 'already_applied' ? 'already_applied' : 'applied', recordKey: key, targetId: `${r.keys.BUSINESS_UNIT}/${r.keys.JOURNAL_ID}`, flow: FLOW_CHANGE_ORDERS, direction: DIRECTION };
      }
      return { outcome: 'ignored', recordKey: event.resourceId, flow: 'procore-webhook', direction: DIRECTION };
    },
  };
};
