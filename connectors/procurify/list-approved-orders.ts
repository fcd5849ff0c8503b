import type { ProcurifyClient, ProcurifyCall } from './client';
import { rangeQuery, type DateRange } from './date-range';
import { rawOrderSchema, type RawOrder } from './schemas';
import { ORDER_STATUS } from './status-codes';

export interface ListOrdersInput {
  /** `modified_date_0/1`: requisitions changed in this window (the sync watermark minus an overlap, to now). */
  modified?: DateRange;
  /** Defaults to APPROVED (1); the pair only ever posts approved requisitions. */
  status?: number;
}

/**
 * GET /api/v2/global/orders?status=1&modified_date_0=&modified_date_1= (Requisitions_getAllOrders,
 * https://developer.procurify.com/tag/requisitions): requisitions, paginated with `page`/`page_size`.
 */
function call(input: ListOrdersInput): ProcurifyCall {
  return {
    operation: 'GET /api/v2/global/orders',
    method: 'GET',
    path: '/api/v2/global/orders',
    query: { status: input.status ?? ORDER_STATUS.APPROVED, ...rangeQuery('modified_date', input.modified), order_by: 'num' },
  };
}

export function listOrders(client: ProcurifyClient, input: ListOrdersInput = {}): AsyncGenerator<RawOrder[], void, void> {
  return client.pages(call(input), rawOrderSchema);
}
