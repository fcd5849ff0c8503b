import { type FlowFactory, type FlowRuntime, type SourceRecord } from '../../activities/flows/types';
import type { PurchaseOrderInput } from '../../connectors/peoplesoft';
import type { RawOrder, RawOrderItem } from '../../connectors/procurify';
import { ORDER_STATUS } from '../../connectors/procurify/status-codes';
import { isPartnerError, PartnerError } from '../../core/partner-error';
import { pairContext, type PairContext } from './context';
import { mapRequisition, requisitionKey, requisitionReferences, type RequisitionData } from './map-requisition';

/** Reads of single requisitions or vendors, this many at a time (Procurify publishes no limit; the connector caps it too). */
const ITEM_READ_CONCURRENCY = 4;

async function inParallel<T, R>(list: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(list.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, list.length) }, async () => {
      while (next < list.length) {
        const i = next++;
        out[i] = await fn(list[i]!);
      }
    }),
  );
  return out;
}

async function collect<T>(gen: AsyncGenerator<T[], void, void>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of gen) out.push(...page);
  return out;
}

/**
 * Every item of each order, by order number. One paged read of the items of approved requisitions changed in the
 * window's days (`last_modified_0/1`, `orderNum__status=1`, 100 a page) covers the orders whose items all changed with
 * them, which is the usual case (a requisition is approved with its items); an order whose `item_count` that read
 * does not reach is read on its own (`orderNum=`), so an order is never posted with part of its items. Reading per
 * order for all would cost one call per requisition against a budget Procurify asks us to keep small.
 */
async function itemsOf(pair: PairContext, orders: RawOrder[], from: Date, to: Date): Promise<RawOrderItem[][]> {
  const byOrder = new Map<number, RawOrderItem[]>();
  if (orders.length > 0) {
    const wanted = new Set(orders.map((o) => o.num));
    for (const item of await collect(pair.procurify.listOrderItems({ lastModified: { from, to }, orderStatus: ORDER_STATUS.APPROVED }))) {
      if (item.orderNum === null || !wanted.has(item.orderNum)) continue;
      byOrder.set(item.orderNum, [...(byOrder.get(item.orderNum) ?? []), item]);
    }
  }
  const complete = (o: RawOrder) => typeof o.item_count === 'number' && (byOrder.get(o.num)?.length ?? 0) === o.item_count;
  return inParallel(orders, ITEM_READ_CONCURRENCY, async (o) => (complete(o) ? byOrder.get(o.num)! : collect(pair.procurify.listOrderItems({ orderNum: o.num }))));
}

/**
 * The external_id of each vendor, by Procurify id: one read of the vendor list (active vendors), then a read of each
 * vendor it did not show (inactive ones). A vendor Procurify does not know is left out: the requisition then waits
 * for it as a missing reference.
 */
async function vendorExternalIds(pair: PairContext, vendorIds: number[]): Promise<Record<string, string | null>> {
  const out: Record<string, string | null> = {};
  if (vendorIds.length === 0) return out;
  for (const v of await collect(pair.procurify.listVendors())) out[String(v.id)] = v.externalId;
  const unseen = vendorIds.filter((id) => !(String(id) in out));
  await inParallel(unseen, ITEM_READ_CONCURRENCY, async (id) => {
    try {
      out[String(id)] = (await pair.procurify.getVendor(id)).externalId;
    } catch (err) {
      if (!isPartnerError(err) || err.status !== 404) throw err;
    }
  });
  return out;
}

/** Approved requisitions changed in the window, each with all its items and its vendors' external ids. */
async function fetchRequisitions(pair: PairContext, from: Date, to: Date): Promise<SourceRecord[]> {
  const orders: RawOrder[] = (await collect(pair.procurify.listOrders({ modified: { from, to } }))).filter((o) => {
    const t = Date.parse(o.dateModified ?? o.date ?? '');
    // The filter is by whole days (format: date); keep the window the engine asked for.
    return Number.isNaN(t) || (t >= from.getTime() && t < to.getTime());
  });
  const itemsByOrder = await itemsOf(pair, orders, from, to);
  const externalIds = await vendorExternalIds(pair, [...new Set(itemsByOrder.flat().map((i) => i.pref_vendor))]);
  return orders.map((order, i) => {
    const data: RequisitionData = { order, items: itemsByOrder[i]!, vendorExternalIds: externalIds };
    return { key: requisitionKey(order.num), updatedAt: order.dateModified ?? order.date ?? from.toISOString(), data };
  });
}

/**
 * Procurify approved requisitions -> PeopleSoft purchase orders through the PO Component Interface
 * (connectors/peoplesoft/create-purchase-order.ts, CI MLC_PO_EXPRESS). The PO_ID is fixed per requisition, so a
 * create retried after a lost answer is "already applied", never a second PO.
 */
export const requisitionFlow: FlowFactory = (ctx): FlowRuntime<PurchaseOrderInput> => {
  const pair = pairContext(ctx);
  return {
    sourceSystem: 'procurify',
    targetSystem: 'peoplesoft',
    direction: 'procurify->peoplesoft',
    fetchWindow: (from, to) => fetchRequisitions(pair, from, to),
    // A vendor not in PeopleSoft yet holds the requisition back (waiting, then dead-lettered naming it).
    references: requisitionReferences,
    map: (record, refs) => mapRequisition(pair.config, record, refs),
    async create(payload) {
      const result = await pair.peoplesoft.createPurchaseOrder(payload);
      return { targetId: `${result.keys.BUSINESS_UNIT}/${result.keys.PO_ID}` };
    },
    /**
     * An edit after posting. The PO CI offers Create and Get only (no Update): an edit that changes nothing PeopleSoft
     * holds is "already applied"; any other is refused with what to do, and dead-letters.
     */
    async update(targetId, payload) {
      try {
        await pair.peoplesoft.createPurchaseOrder(payload);
      } catch (err) {
        if (!isPartnerError(err) || err.code !== 'PS_DUPLICATE_CONFLICT') throw err;
        throw new PartnerError(`requisition ${payload.REQ_ID} changed in Procurify after it was posted as PeopleSoft PO ${targetId}, which cannot be updated through this interface`, {
          partner: 'peoplesoft',
          operation: 'CI MLC_PO_EXPRESS Update',
          rawBody: err.rawBody,
          decision: { retry: false, reason: 'PO already posted; the PO Component Interface has no Update method' },
          code: 'PS_PO_ALREADY_POSTED',
          hint: `Change PO ${targetId} in PeopleSoft (Purchasing > Purchase Orders > Add/Update POs) if it is not dispatched yet, then discard this dead letter; a dispatched PO needs a change order.`,
        });
      }
    },
    async findExisting(record) {
      // The PO key is derived from the requisition: a Create of the same payload answers "already applied".
      const payload = mapRequisition(pair.config, record);
      const result = await pair.peoplesoft.createPurchaseOrder(payload);
      return `${result.keys.BUSINESS_UNIT}/${result.keys.PO_ID}`;
    },
  };
};
