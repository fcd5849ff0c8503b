import { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { SimClock } from '../kit/clock';
import type { FaultInjector } from '../kit/faults';
import type { RequestLog } from '../kit/request-log';
import { randomUUID } from 'node:crypto';
import { newRequisition, newVendor, seed } from './seed';
import { serializeOrder, serializeOrderItem, serializeVendor } from './serialize';
import type { ProcurifyStore } from './store';

const clientSchema = z.object({ clientId: z.string().min(1).optional(), clientSecret: z.string().min(1).optional(), email: z.string().email().default('integrations@example.com') }).strict();
const itemSchema = z.object({ name: z.string().min(1), quantity: z.string().regex(/^\d+(\.\d+)?$/), price: z.string().regex(/^\d+(\.\d+)?$/), vendorId: z.number().int(), accountId: z.number().int(), unit: z.string().optional() }).strict();
const requisitionSchema = z
  .object({
    departmentId: z.number().int(),
    items: z.array(itemSchema).min(1),
    approved: z.boolean().default(true),
    /** When the requisition was submitted (and approved) on Procurify's clock, for a test needing an exact instant (R11). */
    at: z.iso.datetime().optional(),
  })
  .strict();
const itemEditSchema = z.object({ quantity: z.string().regex(/^\d+(\.\d+)?$/).optional(), price: z.string().regex(/^\d+(\.\d+)?$/).optional(), name: z.string().optional(), accountId: z.number().int().optional() }).strict();
const vendorSchema = z.object({ name: z.string().min(1), external_id: z.string().nullable().optional() }).strict();
const poSchema = z.object({ vendorId: z.number().int(), total: z.string().regex(/^\d+(\.\d{1,2})?$/), orderItemIds: z.array(z.number().int()).optional() }).strict();

export interface AdminDeps {
  store: ProcurifyStore;
  clock: SimClock;
  faults: FaultInjector;
  log: RequestLog;
}

/** `/__admin`: the test and demo surface (not Procurify). Never faulted, no auth; bad input is a 400 naming the field. */
export function adminRoutes({ store, clock, faults, log }: AdminDeps): Router {
  const r = Router();
  r.post('/seed', (req, res) => void res.status(201).json(seed(store, clock, req.body)));
  r.get('/faults', (_req, res) => void res.json(faults.current()));
  r.put('/faults', (req, res) => void res.json(faults.configure(req.body)));
  r.get('/clock', (_req, res) => void res.json({ now: clock.now().toISOString() }));
  r.post('/clock/advance', (req, res) => {
    const { ms } = z.object({ ms: z.number().int().min(0) }).strict().parse(req.body);
    res.json({ now: clock.advance(ms).toISOString() });
  });
  // Procurify's servers' clock off ours (+ ahead, - behind): every change they stamp moves with it (R11).
  r.put('/clock/skew', (req, res) => {
    const { skewMs } = z.object({ skewMs: z.number().int() }).strict().parse(req.body);
    res.json({ now: clock.setSkew(skewMs).toISOString(), skewMs });
  });

  // What an admin does in Settings > Integrations > API: an application with a client id and a secret shown once.
  r.post('/oauth/clients', (req, res) => {
    const input = clientSchema.parse(req.body ?? {});
    const client = { clientId: input.clientId ?? randomUUID(), clientSecret: input.clientSecret ?? randomUUID(), email: input.email };
    store.clients.set(client.clientId, client);
    res.status(201).json(client);
  });
  r.get('/oauth/stats', (_req, res) => void res.json(store.tokenStats));

  // What people do in the Procurify UI: submit/approve requisitions, edit an item, add vendors, purchase.
  r.post('/requisitions', (req, res) => {
    const { at, ...input } = requisitionSchema.parse(req.body);
    const stamp = at ? Date.parse(at) : undefined;
    const { order, items } = newRequisition(store, stamp === undefined ? clock : { now: () => new Date(stamp), nowMs: () => stamp }, input);
    res.status(201).json({ order: serializeOrder(store, order), items: items.map((i) => serializeOrderItem(store, i)) });
  });
  r.post('/requisitions/:num/approve', (req, res) => {
    const order = store.orders.get(Number(req.params.num));
    if (!order) return void res.status(404).json({ error: `no requisition ${req.params.num}` });
    const now = clock.now().toISOString();
    order.status = 1;
    order.dateModified = now;
    for (const item of store.orderItems.values()) if (item.orderNum === order.num) Object.assign(item, { approved_datetime: now, last_modified: now });
    res.json({ order: serializeOrder(store, order) });
  });
  r.patch('/order-items/:id', (req, res) => {
    const item = store.orderItems.get(Number(req.params.id));
    if (!item) return void res.status(404).json({ error: `no order item ${req.params.id}` });
    const input = itemEditSchema.parse(req.body);
    const now = clock.now().toISOString();
    Object.assign(item, Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)), { last_modified: now });
    const order = store.orders.get(item.orderNum);
    if (order) order.dateModified = now;
    res.json({ item: serializeOrderItem(store, item) });
  });
  r.post('/vendors', (req, res) => {
    const input = vendorSchema.parse(req.body);
    res.status(201).json({ vendor: serializeVendor(newVendor(store, clock, input.name, { external_id: input.external_id ?? null })) });
  });
  r.get('/vendors', (_req, res) => void res.json({ data: [...store.vendors.values()].map(serializeVendor) }));
  r.post('/accounts', (req, res) => {
    const input = z.object({ accountCodeId: z.number().int(), departmentId: z.number().int() }).strict().parse(req.body);
    const account = { id: store.nextId(), ...input };
    store.accounts.set(account.id, account);
    res.status(201).json(account);
  });
  r.get('/accounts', (_req, res) => void res.json({ data: [...store.accounts.values()] }));
  r.post('/purchase-orders', (req, res) => {
    const input = poSchema.parse(req.body);
    const now = clock.now().toISOString();
    const id = store.nextId();
    const po = { id, uuid: randomUUID(), number: `PO-${id}`, vendorId: input.vendorId, state: 0, total: input.total, date: now, last_modified: now, closed_date: null };
    store.purchaseOrders.set(id, po);
    // A buyer purchasing requisition items: each item then lists the PO (OrderItem.PO) and counts as modified.
    for (const itemId of input.orderItemIds ?? []) {
      const item = store.orderItems.get(itemId);
      if (item) Object.assign(item, { poIds: [...(item.poIds ?? []), id], last_modified: now });
    }
    res.status(201).json(po);
  });
  r.get('/purchase-orders', (_req, res) => void res.json({ data: [...store.purchaseOrders.values()] }));

  log.mountAdminRoutes(r);

  r.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = err instanceof z.ZodError ? 400 : 500;
    res.status(status).json({ error: err instanceof Error ? err.message : String(err) });
  });
  return r;
}
