import type { ProcurifyClient, ProcurifyCall } from './client';
import { rangeQuery, type DateRange } from './date-range';
import { rawOrderItemSchema, type RawOrderItem } from './schemas';

export interface ListOrderItemsInput {
  /** `last_modified_0/1`: items changed in the window. */
  lastModified?: DateRange;
  /** `approved_datetime_0/1`: items approved in the window. */
  approved?: DateRange;
  /** `orderNum`: only the items of one requisition. */
  orderNum?: number;
  /** `orderNum__status`: only items whose requisition has this OrderStatusEnum value. */
  orderStatus?: number;
}

/**
 * GET /api/v3/order-items (Orderitems_listItems, https://developer.procurify.com/tag/order-items) with the date
 * range filters the spec names: last_modified_0/1, approved_datetime_0/1.
 */
function call(input: ListOrderItemsInput): ProcurifyCall {
  return {
    operation: 'GET /api/v3/order-items',
    method: 'GET',
    path: '/api/v3/order-items',
    query: {
      ...rangeQuery('last_modified', input.lastModified),
      ...rangeQuery('approved_datetime', input.approved),
      orderNum: input.orderNum,
      orderNum__status: input.orderStatus,
    },
  };
}

export function listOrderItems(client: ProcurifyClient, input: ListOrderItemsInput = {}): AsyncGenerator<RawOrderItem[], void, void> {
  return client.pages(call(input), rawOrderItemSchema);
}
