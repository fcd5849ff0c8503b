import type { InboxFactory, InboxRuntime } from '../../activities/flows/types';
import { findLinkByTarget } from '../../db/record-links';
import { FLOW_CHANGE_ORDERS, FLOW_DIRECT_COSTS, FLOW_PROCORE_POS, FLOW_PS_POS, FLOW_REQUISITIONS, PEOPLESOFT_WINS_BACK } from './config';
import { pairContext } from './context';
import { postJournal } from './cost-flows';
import { inboxFlowRunner } from './inbox-flows';
import { changeOrderKey, changeOrderToJournal, directCostKey, directCostToJournal } from './map-costs';
import { isVoucherCost } from './origin-ids';
import { commitmentKey, procorePoFlow, withVendor } from './procore-po-flow';
import { psPoFlow } from './ps-po-flow';
import { isVoucherable, readRequisition, requisitionFlow } from './requisition-flow';
import { HANDLED_RESOURCES, parseInboxResource } from './webhook-receiver';

const DIRECTION = 'procore->peoplesoft';

/**
 * The webhook path of 'peoplesoft-procore', each event answered by a fresh read of the resource:
 * - a direct cost or change order -> its PeopleSoft journal, posted right away instead of at the next poll. The journal
 *   id is fixed per cost (map-costs.ts journalIdOf), so the poll finding the same cost later, a duplicate delivery, or
 *   a replay after a crash is "already applied" in PeopleSoft: the cost posts once.
 * - a commitment made in Procore -> the Procore -> PeopleSoft PO flow for that one record (echo guard included); our
 *   own commitments (linked from a PeopleSoft PO, or carrying its key in origin_id) are recognised and left alone.
 * - an approved requisition -> the requisitions flow for that one record: a voucher on its PO, or waiting (named in
 *   status) while its commitment is not linked yet.
 * Commitments and requisitions go through applyRecords (inbox-flows.ts), so the webhook and the poll share one link.
 * Duplicate deliveries never reach here twice: the inbox activity de-duplicates by event id (webhook_events_seen).
 */
export const peopleSoftProcoreInbox: InboxFactory = (ctx): InboxRuntime => {
  const pair = pairContext(ctx);
  const flows = inboxFlowRunner(ctx, { [FLOW_PROCORE_POS]: procorePoFlow, [FLOW_PS_POS]: psPoFlow, [FLOW_REQUISITIONS]: requisitionFlow });
  return {
    async handle(event) {
      const ref = parseInboxResource(event.resourceId);
      // A cost edited after posting is corrected by the poll, from the posted state its record link keeps
      // (cost-corrections.ts). Commitment and requisition updates still run their flow (a requisition is approved by an update).
      const isCost = ref?.resourceName === HANDLED_RESOURCES.directCosts || ref?.resourceName === HANDLED_RESOURCES.changeOrders;
      if (isCost && event.kind.endsWith('.update')) return { outcome: 'ignored', recordKey: event.resourceId, flow: 'procore-webhook', direction: DIRECTION };
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
      if (ref?.resourceName === HANDLED_RESOURCES.commitments && pair.config.flows.procorePurchaseOrders) {
        const key = commitmentKey(ref.projectId, ref.resourceId);
        // Our own commitments (a PeopleSoft PO the PO flow wrote) are known by their link: no read needed.
        const ours = ctx.pool ? await findLinkByTarget(ctx.pool, ctx.connection.id, 'procore', key) : undefined;
        if (ours?.source_system === 'peoplesoft') return { outcome: 'ignored', recordKey: key, flow: FLOW_PROCORE_POS, direction: DIRECTION };
        // GET /rest/v1.0/purchase_order_contracts/{id}?project_id= (show, with line items)
        const full = await pair.procore.getCommitment(ref.projectId, ref.resourceId);
        if (full.origin_id) return { outcome: 'ignored', recordKey: key, flow: FLOW_PROCORE_POS, direction: DIRECTION };
        const record = { key, updatedAt: full.updated_at, data: await withVendor(pair, ref.projectId, full, new Map()) };
        return flows.apply(FLOW_PROCORE_POS, record, PEOPLESOFT_WINS_BACK);
      }
      if (ref?.resourceName === HANDLED_RESOURCES.requisitions && pair.config.flows.requisitions) {
        // GET /rest/v1.0/requisitions/{id}?project_id= and its /detail
        const record = await readRequisition(pair, ref.projectId, ref.resourceId);
        if (!isVoucherable(record)) return { outcome: 'ignored', recordKey: record.key, flow: FLOW_REQUISITIONS, direction: DIRECTION };
        return flows.apply(FLOW_REQUISITIONS, record);
      }
      return { outcome: 'ignored', recordKey: event.resourceId, flow: 'procore-webhook', direction: DIRECTION };
    },
  };
};
