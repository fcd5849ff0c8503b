import type { ProcurifyClient } from './client';
import { rangeQuery, type DateRange } from './date-range';
import { rawPurchaseOrderSchema, type RawPurchaseOrder } from './schemas';
import type { PO_LIST_STATUSES, PO_ROLES } from './status-codes';

export interface ListPurchaseOrdersInput {
  role?: (typeof PO_ROLES)[number];
  status?: (typeof PO_LIST_STATUSES)[number];
  modified?: DateRange;
}

/**
 * GET /api/v2/purchase_orders/{role}/{status} (Purchaseorders_getByRoleAndStatus,
 * https://developer.procurify.com/tag/purchase-orders): role purchased|receivable, status all|cancelled|closed|open|
 * paid|partial, `modified_date_0/1`. The envelope's metadata also carries `counts`.
 */
export function listPurchaseOrders(client: ProcurifyClient, input: ListPurchaseOrdersInput = {}): AsyncGenerator<RawPurchaseOrder[], void, void> {
  const role = input.role ?? 'purchased';
  const status = input.status ?? 'all';
  return client.pages(
    { operation: 'GET /api/v2/purchase_orders/{role}/{status}', method: 'GET', path: `/api/v2/purchase_orders/${role}/${status}`, query: rangeQuery('modified_date', input.modified) },
    rawPurchaseOrderSchema,
  );
}
