import { type FlowFactory, type FlowRuntime } from '../../activities/flows/types';
import type { JaggaerPurchaseOrder } from '../../connectors/jaggaer';
import { toPurchaseOrder } from '../../connectors/jaggaer/models';
import type { PurchaseOrderInput } from '../../connectors/peoplesoft';
import { pairContext, type PairContext } from './context';
import { jaggaerWindow } from './jaggaer-records';
import { withPlainReading } from './plain-reading';
import { purchaseOrderToPeopleSoft, unreadable, type UnreadableData } from './map-documents';

/** A JAGGAER PO with the PeopleSoft requisition it came from, when it came from one of ours. */
export interface PurchaseOrderData {
  kind: 'po';
  po: JaggaerPurchaseOrder;
  psReqId?: string;
}

const PS_REQUISITION_KEY = /^requisition:([^/]+)\/(.+)$/;

/**
 * The PeopleSoft REQ_ID behind each JAGGAER requisition number, one lookup per distinct number in the window: the
 * JAGGAER requisition we created carries our key `requisition:<BU>/<REQ_ID>` as its external reference. A PO from a
 * requisition raised in JAGGAER itself has no PeopleSoft requisition and is recorded without one.
 */
async function psRequisitionIds(pair: PairContext, numbers: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const number of new Set(numbers)) {
    const req = await pair.jaggaer.findRequisitionByNumber(number);
    const match = req?.externalRef ? PS_REQUISITION_KEY.exec(req.externalRef) : null;
    if (match) out.set(number, match[2]!);
  }
  return out;
}

/**
 * JAGGAER purchase orders, once approved -> PeopleSoft POs through the PO Component Interface
 * (connectors/peoplesoft/create-purchase-order.ts), linked to the PeopleSoft requisition. The PO_ID is JAGGAER's PO
 * number, so a retried Create is a duplicate PeopleSoft recognises as already applied.
 */
export const purchaseOrderFlow: FlowFactory = (ctx): FlowRuntime<PurchaseOrderInput> => {
  const pair = pairContext(ctx);
  return {
    sourceSystem: 'jaggaer',
    targetSystem: 'peoplesoft',
    direction: 'jaggaer->peoplesoft',
    async fetchWindow(from, to) {
      const r = pair.jaggaer.client.provider.resources.purchaseOrders;
      const approved = r.filterKeys.status ? [{ key: r.filterKeys.status, op: '==' as const, value: r.approvedStatus }] : [];
      const records = await jaggaerWindow(pair.jaggaer.client, 'purchaseOrders', 'jaggaer-po', (doc) => toPurchaseOrder(doc, pair.jaggaer.client.provider), { from, to }, approved);
      const pos = records.map((rec) => rec.data).filter((d): d is JaggaerPurchaseOrder => !('kind' in (d as object)));
      const reqIds = await psRequisitionIds(pair, pos.flatMap((po) => (po.requisitionNumber ? [po.requisitionNumber] : [])));
      return records.map((rec) => {
        const data = rec.data as JaggaerPurchaseOrder | UnreadableData;
        if ('kind' in data) return rec;
        const psReqId = data.requisitionNumber ? reqIds.get(data.requisitionNumber) : undefined;
        return { ...rec, data: { kind: 'po', po: data, ...(psReqId ? { psReqId } : {}) } satisfies PurchaseOrderData };
      });
    },
    map(record) {
      const data = record.data as PurchaseOrderData | UnreadableData;
      return data.kind === 'unreadable' ? unreadable(data) : purchaseOrderToPeopleSoft(data.po, data.psReqId, pair.config);
    },
    // CI MLC_PO_EXPRESS Create (SOAP CI_MLC_PO_EXPRESS_C); a duplicate PO_ID holding the same data is already applied.
    async create(payload) {
      const result = await withPlainReading(() => pair.peoplesoft.createPurchaseOrder(payload));
      return { targetId: `${result.keys.BUSINESS_UNIT}/${result.keys.PO_ID}` };
    },
    // The PO CI exposes Create and Get only: a change to an approved JAGGAER PO is audited, not rewritten.
    update: () => Promise.resolve(),
    // PeopleSoft's duplicate-key answer makes a repeated Create safe; nothing to search for.
    findExisting: () => Promise.resolve(undefined),
  };
};
