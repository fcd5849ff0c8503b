import { MissingReferenceError, type FlowFactory, type FlowRuntime, type SourceRecord } from '../../activities/flows/types';
import type { JaggaerPurchaseOrder } from '../../connectors/jaggaer';
import { toPurchaseOrder } from '../../connectors/jaggaer/models';
import { componentInterfaces, type PurchaseOrderInput } from '../../connectors/peoplesoft';
import { accountReferences } from './account-codes';
import { pairContext, type PairContext } from './context';
import { jaggaerWindow } from './jaggaer-records';
import { peopleSoftReads } from './peoplesoft-reads';
import { withPlainReading } from './plain-reading';
import { purchaseOrderToPeopleSoft, unreadable, type UnreadableData } from './map-documents';

/** A JAGGAER PO with the PeopleSoft requisition it came from, when it came from one of ours. */
export interface PurchaseOrderData {
  kind: 'po';
  po: JaggaerPurchaseOrder;
  psReqId?: string;
  /** The PO names a requisition JAGGAER could not find when the window was read: looked up again before writing. */
  requisitionNotFound?: boolean;
}

const PS_REQUISITION_KEY = /^requisition:([^/]+)\/(.+)$/;

/**
 * The PeopleSoft REQ_ID behind a JAGGAER requisition number: the JAGGAER requisition we created carries our key
 * `requisition:<BU>/<REQ_ID>` as its external reference. `null`: a requisition raised in JAGGAER itself (no
 * PeopleSoft requisition; the PO is recorded without one). `undefined`: JAGGAER has no such requisition (yet).
 */
async function psRequisitionId(pair: PairContext, number: string): Promise<string | null | undefined> {
  const req = await pair.jaggaer.findRequisitionByNumber(number);
  if (!req) return undefined;
  return (req.externalRef ? PS_REQUISITION_KEY.exec(req.externalRef)?.[2] : undefined) ?? null;
}

/**
 * JAGGAER purchase orders, once approved -> PeopleSoft POs through the PO Component Interface
 * (connectors/peoplesoft/create-purchase-order.ts), linked to the PeopleSoft requisition. The PO_ID is JAGGAER's PO
 * number, so a retried Create is a duplicate PeopleSoft recognises as already applied. A PO is never posted against a
 * vendor PeopleSoft does not have (the PO CI has no prompt on VENDOR_ID): it waits for the supplier's sync instead.
 */
export const purchaseOrderFlow: FlowFactory = (ctx): FlowRuntime<PurchaseOrderInput> => {
  const pair = pairContext(ctx);
  const reads = peopleSoftReads(pair);

  /** The PO's references, checked at write time so a record waiting in waiting_records is checked afresh. */
  async function withReferences(payload: PurchaseOrderInput, record: SourceRecord): Promise<PurchaseOrderInput> {
    const data = record.data as PurchaseOrderData;
    await reads.requireVendor(payload.VENDOR_SETID, payload.VENDOR_ID, `JAGGAER PO ${data.po.number}`);
    if (!data.requisitionNotFound || !data.po.requisitionNumber) return payload;
    const reqId = await psRequisitionId(pair, data.po.requisitionNumber);
    if (reqId === undefined) {
      throw new MissingReferenceError(`jaggaer-requisition:${data.po.requisitionNumber}`, `JAGGAER PO ${data.po.number} names requisition ${data.po.requisitionNumber}, which JAGGAER does not return`);
    }
    return reqId === null ? payload : { ...payload, REQ_ID: reqId };
  }

  return {
    sourceSystem: 'jaggaer',
    targetSystem: 'peoplesoft',
    direction: 'jaggaer->peoplesoft',
    async fetchWindow(from, to) {
      const r = pair.jaggaer.client.provider.resources.purchaseOrders;
      const approved = r.filterKeys.status ? [{ key: r.filterKeys.status, op: '==' as const, value: r.approvedStatus }] : [];
      const records = await jaggaerWindow(pair.jaggaer.client, 'purchaseOrders', 'jaggaer-po', (doc) => toPurchaseOrder(doc, pair.jaggaer.client.provider), { from, to }, approved);
      const pos = records.map((rec) => rec.data).filter((d): d is JaggaerPurchaseOrder => !('kind' in (d as object)));
      // One lookup per distinct requisition number in the window.
      const reqIds = new Map<string, string | null | undefined>();
      for (const number of new Set(pos.flatMap((po) => (po.requisitionNumber ? [po.requisitionNumber] : [])))) reqIds.set(number, await psRequisitionId(pair, number));
      return records.map((rec) => {
        const po = rec.data as JaggaerPurchaseOrder | UnreadableData;
        if ('kind' in po) return rec;
        const reqId = po.requisitionNumber ? reqIds.get(po.requisitionNumber) : null;
        const data: PurchaseOrderData = { kind: 'po', po, ...(reqId ? { psReqId: reqId } : {}), ...(reqId === undefined ? { requisitionNotFound: true } : {}) };
        return { ...rec, data };
      });
    },
    // Every line's account code must be a PeopleSoft account (linked by the account flow, or in accountMap): else the
    // PO waits, its reason naming line and code, and is written once the account is added in PeopleSoft.
    references(record) {
      const data = record.data as PurchaseOrderData | UnreadableData;
      return data.kind === 'unreadable' ? [] : accountReferences(pair.config, `JAGGAER PO ${data.po.number}`, data.po.lines);
    },
    map(record) {
      const data = record.data as PurchaseOrderData | UnreadableData;
      return data.kind === 'unreadable' ? unreadable(data) : purchaseOrderToPeopleSoft(data.po, data.psReqId, pair.config);
    },
    // CI MLC_PO_EXPRESS Create (SOAP CI_MLC_PO_EXPRESS_C); a duplicate PO_ID holding the same data is already applied.
    async create(payload, record) {
      const ready = await withReferences(payload, record);
      const result = await withPlainReading(() => pair.peoplesoft.createPurchaseOrder(ready));
      return { targetId: `${result.keys.BUSINESS_UNIT}/${result.keys.PO_ID}` };
    },
    // A PO changed in JAGGAER after PeopleSoft recorded it: the PO CI exposes Create and Get only, so the change goes
    // through only if PeopleSoft already holds it (a buyer's change order); otherwise it is dead-lettered with the
    // differing fields and PeopleSoft's current values, and replayed once PeopleSoft has been changed.
    async update(_targetId, payload, record) {
      const ready = await withReferences(payload, record);
      await reads.requireSameAsPeopleSoft(componentInterfaces.purchaseOrder, ready, `JAGGAER PO ${(record.data as PurchaseOrderData).po.number}`);
    },
    // PeopleSoft's duplicate-key answer makes a repeated Create safe; nothing to search for.
    findExisting: () => Promise.resolve(undefined),
  };
};
