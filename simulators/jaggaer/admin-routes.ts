import { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { RequestLog } from '../kit/request-log';
import type { FaultInjector } from '../kit/faults';
import type { SimContext } from './context';
import { setAt, simResourceNames, type SimResource } from './resources';
import { addAccount, addInvoice, addPurchaseOrder, addSupplier, seed } from './seed';

/**
 * `/__admin`: the test and demo surface. Never faulted, no auth: it is not part of JAGGAER. Inputs are checked with
 * zod; a bad input is a 400 naming the field.
 */
const advanceSchema = z.object({ ms: z.number().int().min(0) }).strict();
const settingsSchema = z.object({ pageSize: z.number().int().min(1).max(1000).optional(), token: z.unknown().optional() }).strict();
const returnCodeFaultSchema = z
  .object({ count: z.number().int().min(0), returnCode: z.number().int().refine((n) => n !== 0, 'returnCode must not be 0'), returnMessage: z.string().default('Internal processing error'), method: z.enum(['GET', 'POST']).optional() })
  .strict();
const patchSchema = z.object({ set: z.record(z.string(), z.unknown()) }).strict();
const resourceSchema = z.enum(simResourceNames as [SimResource, ...SimResource[]]);

export interface AdminDeps {
  ctx: SimContext;
  faults: FaultInjector;
  log: RequestLog;
}

export function adminRoutes({ ctx, faults, log }: AdminDeps): Router {
  const r = Router();
  const { store, clock, tokens } = ctx;

  r.post('/seed', (req, res) => void res.status(201).json(seed(store, req.body)));
  r.post('/reset', (_req, res) => {
    store.reset();
    ctx.returnCodeFault = undefined;
    res.status(204).end();
  });

  r.get('/faults', (_req, res) => void res.json({ ...faults.current(), returnCode: ctx.returnCodeFault ?? null }));
  r.put('/faults', (req, res) => void res.json(faults.configure(req.body)));
  // The next N calls answer HTTP 200 with a non-zero returnCode, whatever they asked.
  r.put('/faults/return-code', (req, res) => {
    const f = returnCodeFaultSchema.parse(req.body);
    ctx.returnCodeFault = f.count > 0 ? { left: f.count, returnCode: f.returnCode, returnMessage: f.returnMessage, method: f.method } : undefined;
    res.json(ctx.returnCodeFault ?? null);
  });

  r.get('/clock', (_req, res) => void res.json({ now: clock.now().toISOString() }));
  r.post('/clock/advance', (req, res) => {
    clock.advance(advanceSchema.parse(req.body).ms);
    res.json({ now: clock.now().toISOString() });
  });

  const settings = () => ({ pageSize: ctx.settings.pageSize, token: tokens.current() });
  r.get('/settings', (_req, res) => void res.json(settings()));
  r.put('/settings', (req, res) => {
    const body = settingsSchema.parse(req.body);
    if (body.pageSize !== undefined) ctx.settings.pageSize = body.pageSize;
    if (body.token !== undefined) tokens.configure(body.token);
    res.json(settings());
  });

  r.post('/clients', (req, res) => void res.status(201).json(tokens.registerClient(req.body)));
  r.delete('/clients/:clientId', (req, res) => void res.json({ revoked: tokens.revokeClient(req.params.clientId) }));
  r.post('/tokens/expire', (_req, res) => void res.json({ expired: tokens.expireAll() }));
  r.get('/token-stats', (_req, res) => void res.json(tokens.stats()));

  // What people do in the JAGGAER UI: add suppliers, issue and approve POs, receive invoices, edit a record.
  r.post('/suppliers', (req, res) => void res.status(201).json(addSupplier(store, req.body).doc));
  r.post('/purchase-orders', (req, res) => void res.status(201).json(addPurchaseOrder(store, req.body).doc));
  r.post('/invoices', (req, res) => void res.status(201).json(addInvoice(store, req.body).doc));
  // A code that exists is the caller's mistake (409 saying which), not a simulator failure.
  r.post('/accounts', (req, res) => {
    try {
      res.status(201).json(addAccount(store, req.body).doc);
    } catch (error) {
      if (error instanceof Error && /already exists/.test(error.message)) return void res.status(409).json({ error: error.message });
      throw error;
    }
  });
  r.get('/records/:resource', (req, res) => {
    const resource = resourceSchema.parse(req.params.resource);
    res.json({ data: store.sorted(resource).map((d) => d.doc) });
  });
  r.patch('/records/:resource/:id', (req, res) => {
    const resource = resourceSchema.parse(req.params.resource);
    const stored = store.get(resource, Number(req.params.id));
    if (!stored) return void res.status(404).json({ error: `no ${resource} ${req.params.id}` });
    for (const [path, value] of Object.entries(patchSchema.parse(req.body).set)) setAt(stored.doc, path, value);
    res.json(store.touch(resource, stored).doc);
  });

  log.mountAdminRoutes(r);

  r.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = err instanceof z.ZodError ? 400 : 500;
    res.status(status).json({ error: err instanceof Error ? err.message : String(err) });
  });
  return r;
}
