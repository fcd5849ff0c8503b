import type { ProcurifyClient } from './client';
import { rawPurchaseOrderSchema, singleEnvelope, type RawPurchaseOrder } from './schemas';

/**
 * POST /api/v3/purchase-orders/{procurify_PO}/close (Purchaseorders_closeOrder,
 * https://developer.procurify.com/tag/purchase-orders) -> 200 {data: PurchaseOrderReadDocs}. No body.
 */
export async function closePurchaseOrder(client: ProcurifyClient, procurifyPo: number): Promise<RawPurchaseOrder> {
  const body = await client.send(
    { operation: 'POST /api/v3/purchase-orders/{procurify_PO}/close', method: 'POST', path: `/api/v3/purchase-orders/${procurifyPo}/close` },
    singleEnvelope(rawPurchaseOrderSchema),
  );
  return body.data;
}
