import { Router } from 'express';
import type { SimClock } from '../kit/clock';
import { fieldErrors } from './errors';
import { inRange, intParam } from './filters';
import { paginate } from './pagination';
import { serializeOrder, serializeOrderItem } from './serialize';
import type { ProcurifyStore } from './store';

const ORDER_STATUSES = new Set([0, 1, 2, 3, 4, 5, 6]);
const ITEM_STATUSES = new Set([0, 1, 2, 3, 4, 5, 6, 7, 8]);

function checkEnum(name: string, value: number | undefined, allowed: Set<number>): void {
  if (value !== undefined && !allowed.has(value)) {
    throw fieldErrors({ [name]: [`Select a valid choice. ${value} is not one of the available choices.`] });
  }
}

/**
 * Requisitions and their items:
 * - GET /api/v2/global/orders (Requisitions_getAllOrders): filters status (OrderStatusEnum), department, location,
 *   date_0/1, modified_date_0/1 (on dateModified);
 * - GET /api/v3/order-items and GET /api/v2/global/order_items (Orderitems_listItems, Requisitions_getAllOrderItems):
 *   filters status, orderNum, orderNum__status, account, pref_vendor, last_modified_0/1, approved_datetime_0/1.
 * https://developer.procurify.com/tag/requisitions, https://developer.procurify.com/tag/order-items
 */
export function orderRoutes(store: ProcurifyStore, _clock: SimClock): Router {
  const r = Router();
  r.get('/api/v2/global/orders', (req, res) => {
    const status = intParam(req, 'status');
    checkEnum('status', status, ORDER_STATUSES);
    const department = intParam(req, 'department');
    const location = intParam(req, 'location');
    const modified = inRange(req, 'modified_date');
    const dated = inRange(req, 'date');
    const orders = [...store.orders.values()]
      .filter((o) => status === undefined || o.status === status)
      .filter((o) => department === undefined || o.departmentId === department)
      .filter((o) => location === undefined || store.departments.get(o.departmentId)?.locationId === location)
      .filter((o) => modified(o.dateModified) && dated(o.date))
      .sort((a, b) => a.num - b.num);
    res.json(paginate(req, orders, {}, (o) => serializeOrder(store, o)));
  });

  const listItems = (req: Parameters<Parameters<Router['get']>[1]>[0], res: Parameters<Parameters<Router['get']>[1]>[1]) => {
    const status = intParam(req, 'status');
    checkEnum('status', status, ITEM_STATUSES);
    const orderStatus = intParam(req, 'orderNum__status');
    checkEnum('orderNum__status', orderStatus, ORDER_STATUSES);
    const orderNum = intParam(req, 'orderNum');
    const account = intParam(req, 'account');
    const vendor = intParam(req, 'pref_vendor');
    const modified = inRange(req, 'last_modified');
    const approved = inRange(req, 'approved_datetime');
    const items = [...store.orderItems.values()]
      .filter((i) => status === undefined || i.status === status)
      .filter((i) => orderNum === undefined || i.orderNum === orderNum)
      .filter((i) => orderStatus === undefined || store.orders.get(i.orderNum)?.status === orderStatus)
      .filter((i) => account === undefined || i.accountId === account)
      .filter((i) => vendor === undefined || i.vendorId === vendor)
      .filter((i) => modified(i.last_modified) && approved(i.approved_datetime))
      .sort((a, b) => a.id - b.id);
    res.json(paginate(req, items, {}, (i) => serializeOrderItem(store, i)));
  };
  r.get('/api/v3/order-items', listItems);
  r.get('/api/v2/global/order_items', listItems);
  return r;
}
