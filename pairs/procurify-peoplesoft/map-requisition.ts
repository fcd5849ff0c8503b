import { MappingError, type SourceRecord } from '../../activities/flows/types';
import type { PurchaseOrderInput } from '../../connectors/peoplesoft';
import type { RawOrder, RawOrderItem } from '../../connectors/procurify';
import type { ProcurifyPeopleSoftConfig } from './config';
import { psVendorId } from './vendor-ids';

export interface RequisitionData {
  order: RawOrder;
  items: RawOrderItem[];
  /** external_id of each vendor the items use (a PeopleSoft VENDOR_ID for vendors born there), by Procurify id. */
  vendorExternalIds: Record<string, string | null>;
}

/** Our key for a requisition (Procurify order `num`), also the PO's REQ_ID. */
export const requisitionKey = (num: number): string => `procurify-requisition:${num}`;
/** PO_ID (Char10) fixed per requisition, so a retried Create is recognised as already applied. */
export const poIdFor = (num: number): string => `PRC${String(num).padStart(7, '0')}`;

/** Procurify's decimal strings stay decimal text all the way to the CI payload (xsd:decimal on the wire). */
const decimal = (value: string, field: string, where: string): string => {
  if (!/^\d+(?:\.\d+)?$/.test(value)) throw new MappingError(`${where}: ${field} "${value}" is not a decimal`);
  return value;
};

/**
 * One approved requisition -> one PeopleSoft PO, one PO line per item, on the item's vendor and the chartfields the
 * mapping gives for its account code and the requisition's department (location -> PROJECT_ID when mapped). Nothing
 * is defaulted: an unmapped code or a requisition with items on two vendors is a MappingError naming it.
 */
export function mapRequisition(config: ProcurifyPeopleSoftConfig, record: SourceRecord): PurchaseOrderInput {
  const { order, items, vendorExternalIds } = record.data as RequisitionData;
  const where = `requisition ${order.num}`;
  if (items.length === 0) throw new MappingError(`${where} has no items`);
  const vendors = [...new Set(items.map((i) => i.pref_vendor))];
  if (vendors.length > 1) throw new MappingError(`${where} orders from ${vendors.length} vendors (${vendors.join(', ')}): a PeopleSoft PO has one vendor; split the requisition in Procurify`);
  const deptid = config.chartfields.departments[order.department.name];
  if (!deptid) throw new MappingError(`${where}: department "${order.department.name}" has no DEPTID in chartfields.departments`);
  const project = config.chartfields.locations[order.branch.name];
  const lines = [...items]
    .sort((a, b) => a.id - b.id)
    .map((item, index) => {
      const code = item.accountCode ?? '';
      const account = config.chartfields.accountCodes[code];
      if (!account) throw new MappingError(`${where}: account code "${code}" (item ${item.id}) has no ACCOUNT in chartfields.accountCodes`);
      return {
        LINE_NBR: index + 1,
        DESCR254: item.name.slice(0, 254),
        QTY_PO: decimal(item.quantity, 'quantity', `${where} item ${item.id}`),
        PRICE_PO: decimal(item.price, 'price', `${where} item ${item.id}`),
        ACCOUNT: account,
        DEPTID: deptid,
        ...(project ? { PROJECT_ID: project } : {}),
      };
    });
  return {
    BUSINESS_UNIT: config.businessUnit,
    PO_ID: poIdFor(order.num),
    PO_DT: (order.date ?? order.dateRequired).slice(0, 10),
    VENDOR_SETID: config.vendorSetId,
    VENDOR_ID: psVendorId(vendors[0]!, vendorExternalIds[String(vendors[0])]),
    REQ_ID: String(order.num).slice(0, 10),
    ...(order.currency?.name?.length === 3 ? { TXN_CURRENCY_CD: order.currency.name } : {}),
    PO_LINE: lines,
  };
}
