import { Router, type Request } from 'express';
import type { SimClock } from '../kit/clock';
import { detail, notFound } from './errors';
import { inRange, intParam } from './filters';
import { paginate } from './pagination';
import { serializePurchaseOrder } from './serialize';
import type { ProcurifyStore, PurchaseOrderRec } from './store';

const STATE = { PURCHASED: 0, CANCELLED: 1, CLOSED: 3, PAID: 4, REOPENED: 5 } as const;
const ROLES = new Set(['purchased', 'receivable']);
/** `{status}` in the list path -> the PO states it shows (Purchaseorders_getByRoleAndStatus). */
const STATUS_STATES: Record<string, number[] | undefined> = {
  all: undefined,
  open: [STATE.PURCHASED, STATE.REOPENED],
  partial: [STATE.PURCHASED, STATE.REOPENED],
  closed: [STATE.CLOSED],
  cancelled: [STATE.CANCELLED],
  paid: [STATE.PAID],
};

/**
 * Purchase orders (https://developer.procurify.com/tag/purchase-orders): the v2 list by role and status (metadata adds
 * `counts`), and the v3 close/reopen actions. Closing a cancelled PO is refused (400), closing a closed one is a no-op.
 */
export function purchaseOrderRoutes(store: ProcurifyStore, clock: SimClock): Router {
  const r = Router();
  const counts = () => {
    const all = [...store.purchaseOrders.values()];
    const n = (states: number[] | undefined) => all.filter((p) => !states || states.includes(p.state)).length;
    const breakdown = { all: n(undefined), open: n(STATUS_STATES.open), partial: 0, closed: n(STATUS_STATES.closed), cancelled: n(STATUS_STATES.cancelled), page: 1 };
    return { purchased: breakdown, receivable: breakdown };
  };
  r.get('/api/v2/purchase_orders/:role/:status', (req, res) => {
    const { role, status } = req.params;
    if (!ROLES.has(role) || !(status in STATUS_STATES)) throw notFound();
    const states = STATUS_STATES[status];
    const vendor = intParam(req, 'pref_vendor');
    const modified = inRange(req, 'modified_date');
    const list = [...store.purchaseOrders.values()]
      .filter((p) => !states || states.includes(p.state))
      .filter((p) => vendor === undefined || p.vendorId === vendor)
      .filter((p) => modified(p.last_modified))
      .sort((a, b) => a.id - b.id);
    res.json(paginate(req, list, { counts: counts() }, (p) => serializePurchaseOrder(store, p)));
  });
  const find = (req: Request): PurchaseOrderRec => {
    const p = store.purchaseOrders.get(Number(req.params.po));
    if (!p) throw notFound();
    return p;
  };
  r.post('/api/v3/purchase-orders/:po/close', (req, res) => {
    const po = find(req);
    if (po.state === STATE.CANCELLED) throw detail(400, 'A cancelled purchase order cannot be closed.');
    if (po.state !== STATE.CLOSED) {
      po.state = STATE.CLOSED;
      po.closed_date = clock.now().toISOString();
      po.last_modified = po.closed_date;
    }
    res.json({ data: serializePurchaseOrder(store, po, 'single'), metadata: {} });
  });
  r.post('/api/v3/purchase-orders/:po/reopen', (req, res) => {
    const po = find(req);
    if (po.state !== STATE.CLOSED) throw detail(400, 'Only a closed purchase order can be reopened.');
    po.state = STATE.REOPENED;
    po.closed_date = null;
    po.last_modified = clock.now().toISOString();
    res.json({ data: serializePurchaseOrder(store, po, 'single'), metadata: {} });
  });
  return r;
}
