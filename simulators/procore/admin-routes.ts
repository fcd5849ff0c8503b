import { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { FaultInjector } from '../kit/faults';
import type { RequestLog } from '../kit/request-log';
import type { SimContext } from './context';
import { adminCostRoutes } from './admin-cost-routes';
import { addRequisition, REQUISITION_STATUSES } from './requisitions';
import { addChangeOrder, addDirectCost, seed } from './seed';
import { kinds, type Kind } from './store';

/** `/__admin`: the test and demo surface, never faulted, no auth (not part of Procore). Inputs checked with zod. */
const advanceSchema = z.object({ ms: z.number().int().min(0) }).strict();
const syncErrorsSchema = z.object({ resource: z.literal('vendors'), originIds: z.array(z.string()), message: z.string().default('Vendor is refused by a company setting') }).strict();
const directCostSchema = z.object({ projectId: z.string(), amounts: z.array(z.string().regex(/^-?\d+(\.\d+)?$/)).min(1) }).strict();
const changeOrderSchema = z.object({ projectId: z.string(), grandTotal: z.string().regex(/^-?\d+(\.\d+)?$/) }).strict();
const commitmentSchema = z.object({ projectId: z.string(), vendorId: z.string(), title: z.string(), lines: z.array(z.object({ amount: z.string(), description: z.string(), costCodeId: z.string().optional() }).strict()) }).strict();
const money = z.string().regex(/^-?\d+(\.\d+)?$/);
const requisitionsSchema = z.object({ requisitions: z.array(z.object({ projectId: z.string(), commitmentId: z.string(), status: z.enum(REQUISITION_STATUSES).optional(), lines: z.array(z.object({ workCompletedThisPeriod: money, materialsPresentlyStored: money.optional(), description: z.string().optional() }).strict()).min(1) }).strict()).min(1).max(1000) }).strict();
const commitmentEditSchema = z.object({ vendorId: z.string() }).strict();
const kindSchema = z.enum(kinds as [Kind, ...Kind[]]);

export function adminRoutes(ctx: SimContext, faults: FaultInjector, log: RequestLog): Router {
  const r = Router();
  const { store, clock, tokens, limits, webhooks } = ctx;
  r.post('/seed', (req, res) => void res.status(201).json(seed(store, req.body)));
  r.post('/clients', (_req, res) => void res.status(201).json(tokens.registerClient()));
  r.get('/faults', (_req, res) => void res.json(faults.current()));
  r.put('/faults', (req, res) => void res.json(faults.configure(req.body)));
  r.put('/rate-limits', (req, res) => void res.json(limits.configure(req.body)));
  r.get('/rate-limits', (_req, res) => void res.json({ settings: limits.settings, counts: limits.counts, usage: limits.usage() }));
  r.put('/token', (req, res) => {
    tokens.settings = z.object({ lifetimeSeconds: z.number().int().min(1) }).strict().parse(req.body);
    res.json(tokens.settings);
  });
  r.post('/tokens/expire', (_req, res) => void res.json({ expired: tokens.expireAll() }));
  r.get('/token-stats', (_req, res) => void res.json(tokens.counts));
  r.post('/clock/advance', (req, res) => void res.json({ now: clock.advance(advanceSchema.parse(req.body).ms).toISOString() }));
  r.put('/sync-errors', (req, res) => {
    const body = syncErrorsSchema.parse(req.body);
    ctx.syncErrors.set(body.resource, Object.fromEntries(body.originIds.map((o) => [o, [body.message]])));
    res.status(204).end();
  });
  r.put('/webhooks/backoff-scale', (req, res) => {
    webhooks.backoffScale = z.object({ scale: z.number().min(0.0001).max(1) }).strict().parse(req.body).scale;
    res.status(204).end();
  });
  r.get('/webhooks/events', (_req, res) => void res.json({ data: webhooks.eventIds() }));
  r.get('/webhooks/event-states', (_req, res) => void res.json({ data: webhooks.eventStates() }));
  r.post('/webhooks/redeliver', (req, res) => void res.json({ redelivered: webhooks.redeliver(z.object({ eventId: z.string() }).strict().parse(req.body).eventId) }));
  r.get('/webhooks/deliveries', (_req, res) => void res.json({ data: webhooks.deliveries }));
  // What people do in Procore: enter direct costs, change orders and commitments.
  r.post('/direct-costs', (req, res) => {
    const b = directCostSchema.parse(req.body);
    const amounts = [...b.amounts];
    res.status(201).json(addDirectCost(store, b.projectId, amounts.length, () => amounts.shift()!));
  });
  r.post('/change-orders', (req, res) => {
    const b = changeOrderSchema.parse(req.body);
    res.status(201).json(addChangeOrder(store, b.projectId, b.grandTotal));
  });
  r.post('/commitments', (req, res) => {
    const b = commitmentSchema.parse(req.body);
    const c = store.insert('commitments', { project_id: b.projectId, number: null, title: b.title, status: 'Approved', vendor: { id: b.vendorId }, origin_id: null, origin_data: null, grand_total: '0.00' }, true);
    for (const l of b.lines) store.insert('commitmentLines', { contract_id: c.id, description: l.description, amount: l.amount, cost_code_id: l.costCodeId ?? null }, true);
    webhooks.emit('commitments', c, 'create');
    res.status(201).json(c);
  });
  r.use(adminCostRoutes(ctx));
  // Subcontractors' pay applications entered in Procore, each announced to the hooks as a create.
  r.post('/requisitions', (req, res) => {
    const made = requisitionsSchema.parse(req.body).requisitions.map((input) => addRequisition(store, input));
    for (const q of made) webhooks.emit('requisitions', q, 'create');
    res.status(201).json({ data: made });
  });
  // A vendor entered in Procore's company directory: by hand (no origin_id) or by an earlier ERP import (origin_id).
  r.post('/vendors', (req, res) => {
    const b = z.object({ name: z.string().min(1), originId: z.string().min(1).optional() }).strict().parse(req.body);
    if (b.originId && store.byOrigin('vendors', b.originId)) return void res.status(200).json(store.byOrigin('vendors', b.originId));
    res.status(201).json(store.insert('vendors', { name: b.name, is_active: true, origin_id: b.originId ?? null, origin_data: null, abbreviated_name: null }));
  });
  // A user picks another vendor on a commitment (an update, announced to the hooks).
  r.patch('/commitments/:id', (req, res) => {
    const c = store.get('commitments', req.params.id);
    if (!c) return void res.status(404).json({ error: `no commitment ${req.params.id}` });
    res.json(store.update('commitments', c.id, { vendor: { id: commitmentEditSchema.parse(req.body).vendorId } }));
  });
  r.get('/records/:kind', (req, res) => void res.json({ data: store.all(kindSchema.parse(req.params.kind)) }));
  log.mountAdminRoutes(r);
  r.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    res.status(err instanceof z.ZodError ? 400 : 500).json({ error: err instanceof Error ? err.message : String(err) });
  });
  return r;
}
