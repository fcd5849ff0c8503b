import { type FlowFactory, type FlowRuntime, type SourceRecord } from '../../activities/flows/types';
import type { PurchaseOrderInput } from '../../connectors/peoplesoft';
import type { RawOrder, RawOrderItem } from '../../connectors/procurify';
import { isPartnerError, PartnerError } from '../../core/partner-error';
import { pairContext, type PairContext } from './context';
import { mapRequisition, requisitionKey, requisitionReferences, type RequisitionData } from './map-requisition';

/** Items are read per requisition, this many at a time (Procurify publishes no limit; the connector caps it too). */
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

/** Approved requisitions changed in the window, each with all its items and its vendors' external ids. */
async function fetchRequisitions(pair: PairContext, from: Date, to: Date): Promise<SourceRecord[]> {
  const orders: RawOrder[] = (await collect(pair.procurify.listOrders({ modified: { from, to } }))).filter((o) => {
    const t = Date.parse(o.dateModified ?? o.date ?? '');
    // The filter is by whole days (format: date); keep the window the engine asked for.
    return Number.isNaN(t) || (t >= from.getTime() && t < to.getTime());
  });
  const itemsByOrder = await inParallel(orders, ITEM_READ_CONCURRENCY, (o) => collect(pair.procurify.listOrderItems({ orderNum: o.num })));
  const vendorIds = [...new Set(itemsByOrder.flat().map((i: RawOrderItem) => i.pref_vendor))];
  const externalIds: Record<string, string | null> = {};
  await inParallel(vendorIds, ITEM_READ_CONCURRENCY, async (id) => {
    try {
      externalIds[String(id)] = (await pair.procurify.getVendor(id)).externalId;
    } catch (err) {
      // An unknown vendor is left out: the requisition then waits for it as a missing reference.
      if (!isPartnerError(err) || err.status !== 404) throw err;
    }
  });
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
