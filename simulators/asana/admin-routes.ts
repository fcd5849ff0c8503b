import { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { FaultInjector } from '../kit/faults';
import type { SimContext } from './context';
import { updateTask } from './task-routes';
import { fullTask, fullWebhook } from './serialize';
import { seed } from './seed';
import type { RateLimits } from './rate-limits';
import type { RequestLog } from '../kit/request-log';

/**
 * `/__admin`: the test and demo surface. Never faulted, never rate limited, no auth: it is not part of Asana.
 * Inputs are checked with zod; a bad input is a 400 with the zod message.
 */
const advanceSchema = z.object({ ms: z.number().int().min(0) }).strict();
const workspaceUserSchema = z.object({ name: z.string().min(1), email: z.string().min(3) }).strict();
const completeSchema = z.object({ completed: z.boolean().default(true), userGid: z.string().optional() }).strict();
const paginationSchema = z
  .object({ offsetTtlMs: z.number().int().min(1).optional(), unpaginatedMax: z.number().int().min(1).optional() })
  .strict();

export interface AdminDeps {
  ctx: SimContext;
  faults: FaultInjector;
  limits: RateLimits;
  log: RequestLog;
}

export function adminRoutes({ ctx, faults, limits, log }: AdminDeps): Router {
  const r = Router();
  const { store, clock, webhooks } = ctx;

  r.post('/seed', (req, res) => void res.status(201).json(seed(store, clock, req.body)));

  // What a workspace admin does: invite a user, change a user's email, remove a user from the workspace.
  r.post('/workspaces/:workspace_gid/users', (req, res) => {
    const workspaceGid = req.params.workspace_gid;
    if (!store.workspaces.has(workspaceGid)) return void res.status(404).json({ error: `no workspace ${workspaceGid}` });
    const input = workspaceUserSchema.parse(req.body);
    const gid = store.newGid();
    store.users.set(gid, { gid, name: input.name, email: input.email, workspaceGids: [workspaceGid] });
    res.status(201).json({ gid, name: input.name, email: input.email });
  });
  r.post('/workspaces/:workspace_gid/projects', (req, res) => {
    const workspaceGid = req.params.workspace_gid;
    if (!store.workspaces.has(workspaceGid)) return void res.status(404).json({ error: `no workspace ${workspaceGid}` });
    const { name } = z.object({ name: z.string().min(1) }).strict().parse(req.body);
    const gid = store.newGid();
    store.projects.set(gid, { gid, name, workspaceGid });
    res.status(201).json({ gid, name });
  });
  r.patch('/users/:user_gid', (req, res) => {
    const user = store.users.get(req.params.user_gid);
    if (!user) return void res.status(404).json({ error: `no user ${req.params.user_gid}` });
    Object.assign(user, workspaceUserSchema.partial().parse(req.body));
    res.json({ gid: user.gid, name: user.name, email: user.email });
  });
  r.delete('/workspaces/:workspace_gid/users/:user_gid', (req, res) => {
    const user = store.users.get(req.params.user_gid);
    if (!user) return void res.status(404).json({ error: `no user ${req.params.user_gid}` });
    user.workspaceGids = user.workspaceGids.filter((w) => w !== req.params.workspace_gid);
    res.status(204).end();
  });

  r.get('/faults', (_req, res) => void res.json(faults.current()));
  r.put('/faults', (req, res) => void res.json(faults.configure(req.body)));

  r.get('/clock', (_req, res) => void res.json({ now: clock.now().toISOString() }));
  // Advancing the clock walks through every webhook retry/heartbeat/deletion due on the way.
  r.post('/clock/advance', async (req, res) => {
    const { ms } = advanceSchema.parse(req.body);
    await webhooks.advance(ms);
    res.json({ now: clock.now().toISOString() });
  });

  r.get('/rate-limits', (_req, res) => void res.json(limits.current()));
  r.put('/rate-limits', (req, res) => void res.json(limits.configure(req.body)));
  r.get('/rate-limits/stats', (_req, res) => void res.json(limits.stats()));
  r.delete('/rate-limits/stats', (_req, res) => {
    limits.resetStats();
    res.status(204).end();
  });

  const settings = () => ({ webhooks: webhooks.current(), pagination: ctx.pagination, oauth: ctx.oauth.current() });
  r.get('/settings', (_req, res) => void res.json(settings()));
  r.put('/settings', (req, res) => {
    const body = z.object({ webhooks: z.unknown().optional(), pagination: paginationSchema.optional(), oauth: z.unknown().optional() }).strict().parse(req.body);
    if (body.webhooks !== undefined) webhooks.configure(body.webhooks);
    if (body.pagination) Object.assign(ctx.pagination, body.pagination);
    if (body.oauth !== undefined) ctx.oauth.configure(body.oauth);
    res.json(settings());
  });

  // OAuth apps and grants: what a developer console and a user clicking "Allow" would create at Asana.
  r.post('/oauth/clients', (req, res) => void res.status(201).json(ctx.oauth.registerClient(req.body)));
  r.post('/oauth/authorize', (req, res) => void res.status(201).json(ctx.oauth.authorize(req.body)));
  r.post('/oauth/revoke', (req, res) => {
    const { refreshToken } = z.object({ refreshToken: z.string().min(1) }).strict().parse(req.body);
    res.json({ revoked: ctx.oauth.revoke(refreshToken) });
  });
  r.get('/oauth/stats', (_req, res) => void res.json(ctx.oauth.stats()));
  r.post('/oauth/expire', (_req, res) => void res.json({ expired: ctx.oauth.expireAll() }));

  r.get('/tasks', (_req, res) => void res.json({ data: [...store.tasks.values()].map((t) => fullTask(store, t)) }));

  // What a person does in the Asana UI: it changes the task and generates webhook events like any other change.
  r.post('/tasks/:task_gid/complete', (req, res) => {
    const task = store.tasks.get(req.params.task_gid);
    if (!task) return void res.status(404).json({ error: `no task ${req.params.task_gid}` });
    const input = completeSchema.parse(req.body ?? {});
    const userGid = input.userGid ?? [...store.users.keys()][0] ?? '';
    updateTask(ctx, task, { completed: input.completed }, userGid);
    res.json({ data: fullTask(store, task) });
  });

  r.get('/webhooks', (_req, res) => {
    const data = [...store.webhooks.values()].map((h) => ({ ...(fullWebhook(store, h) as object), pendingEvents: h.pending.length }));
    res.json({ data });
  });
  r.post('/webhooks/flush', async (_req, res) => {
    await webhooks.runDue();
    res.json({ deliveries: webhooks.deliveries() });
  });
  r.get('/deliveries', (_req, res) => void res.json({ data: webhooks.deliveries() }));
  r.post('/deliveries/:id/redeliver', async (req, res) => {
    res.json(await webhooks.redeliver(Number(req.params.id)));
  });

  log.mountAdminRoutes(r);

  r.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = err instanceof z.ZodError ? 400 : 500;
    res.status(status).json({ error: err instanceof Error ? err.message : String(err) });
  });
  return r;
}
