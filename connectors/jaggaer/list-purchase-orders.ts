import type { JaggaerClient } from './client';
import type { FilterTerm } from './flt';
import { listChangedPage, type ChangedPage, type ChangedPageInput } from './list-changed';
import { toPurchaseOrder, type JaggaerPurchaseOrder } from './models';

export interface PurchaseOrdersPageInput extends ChangedPageInput {
  /** Only approved orders (`flt=STATUS==Approved` by default): what the PeopleSoft side records. */
  approvedOnly?: boolean;
}

/**
 * GET {instance}/j1p/api/public/jp/v1/purchaseorders?start=N&flt=LASTMODTIME>=...;STATUS==Approved (path, list key
 * and status filter provisional, see provider.ts; envelope and paging per partner-apis.md part 2 §4).
 */
export function listPurchaseOrdersPage(client: JaggaerClient, input: PurchaseOrdersPageInput = {}): Promise<ChangedPage<JaggaerPurchaseOrder>> {
  const r = client.provider.resources.purchaseOrders;
  const extra: FilterTerm[] = input.approvedOnly && r.filterKeys.status ? [{ key: r.filterKeys.status, op: '==', value: r.approvedStatus }] : [];
  return listChangedPage(client, 'purchaseOrders', (doc) => toPurchaseOrder(doc, client.provider), input, extra);
}
