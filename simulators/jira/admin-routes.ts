import { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { FaultInjector } from '../kit/faults';
import { textToAdf } from './adf';
import type { SimContext } from './context';
import { checkFields } from './field-values';
import type { RateLimits } from './rate-limits';
import type { RequestLog } from '../kit/request-log';
import { issueBean } from './serialize';
import { seed } from './seed';

/**
 * `/__admin`: the test and demo surface (not part of Jira). Never faulted, never rate limited, no auth. What a person
 * does in the Jira UI (edit, transition, comment, delete an issue) goes through here and fires webhooks like any
 * change.
 */
export interface AdminDeps {
  ctx: SimContext;
  faults: FaultInjector;
  limits: RateLimits;
  log: RequestLog;
}

export function adminRoutes({ ctx, faults, limits, log }: AdminDeps): Router {
  const r = Router();
  const { store, clock, webhooks, oauth } = ctx;
  const someone = () => [...store.users.keys()][0] ?? 'admin';
  const issueOr404 = (key: string, res: Response) => {
    const issue = store.issue(key);
    if (!issue) res.status(404).json({ error: `no issue ${key}` });
    return issue;
  };

  r.post('/seed', (req, res) => void res.status(201).json(seed(store, clock, req.body)));
  r.get('/faults', (_req, res) => void res.json(faults.current()));
  r.put('/faults', (req, res) => void res.json(faults.configure(req.body)));

  r.get('/clock', (_req, res) => void res.json({ now: clock.now().toISOString() }));
  r.post('/clock/advance', async (req, res) => {
    const { ms } = z.object({ ms: z.number().int().min(0) }).strict().parse(req.body);
    await webhooks.advance(ms);
    res.json({ now: clock.now().toISOString() });
  });

  r.get('/rate-limits', (_req, res) => void res.json(limits.current()));
  r.put('/rate-limits', (req, res) => void res.json(limits.configure(req.body)));
  r.get('/rate-limits/stats', (_req, res) => void res.json(limits.stats()));
  r.delete('/rate-limits/stats', (_req, res) => void (limits.resetStats(), res.status(204).end()));

  const settings = () => ({ webhooks: webhooks.current(), auth: { ...ctx.auth } });
  r.put('/settings', (req, res) => {
    const body = z.object({ webhooks: z.unknown().optional(), auth: z.object({ apiTokenExpiresAtMs: z.number().int().nullable() }).strict().optional(), oauth: z.unknown().optional() }).strict().parse(req.body);
    if (body.webhooks !== undefined) webhooks.configure(body.webhooks);
    if (body.oauth !== undefined) oauth.configure(body.oauth);
    if (body.auth) ctx.auth.apiTokenExpiresAtMs = body.auth.apiTokenExpiresAtMs ?? undefined;
    res.json(settings());
  });
  r.get('/settings', (_req, res) => void res.json(settings()));

  r.post('/oauth/clients', (req, res) => void res.status(201).json(oauth.registerClient(req.body ?? {})));
  r.post('/oauth/authorize', (req, res) => {
    const { clientId } = z.object({ clientId: z.string() }).strict().parse(req.body);
    res.status(201).json(oauth.authorize(clientId, someone()));
  });
  r.post('/oauth/revoke', (req, res) => void res.json({ revoked: oauth.revoke(z.object({ refreshToken: z.string() }).parse(req.body).refreshToken) }));
  r.get('/oauth/stats', (_req, res) => void res.json({ ...oauth.counts }));
  r.post('/oauth/expire', (_req, res) => void res.json({ expired: oauth.expireAll() }));

  r.get('/issues', (req, res) => void res.json({ issues: [...store.issues.values()].map((i) => ({ ...issueBean(store, ctx.baseUrl(), i, ['*all']), properties: Object.fromEntries(i.properties), comments: i.comments.map((c) => c.body) })) }));
  r.put('/issues/:key', (req, res) => {
    const issue = issueOr404(req.params.key!, res);
    if (!issue) return;
    const { values, errors } = checkFields(store, z.object({ fields: z.record(z.string(), z.unknown()) }).parse(req.body).fields);
    if (Object.keys(errors).length > 0) return void res.status(400).json({ errors });
    Object.assign(issue.fields, values);
    issue.updatedMs = clock.nowMs();
    webhooks.issueEvent('jira:issue_updated', issue, someone(), Object.keys(values));
    res.json(issueBean(store, ctx.baseUrl(), issue, ['*all']));
  });
  r.delete('/issues/:key', (req, res) => {
    const issue = issueOr404(req.params.key!, res);
    if (!issue) return;
    store.issues.delete(issue.id);
    webhooks.issueEvent('jira:issue_deleted', issue, someone());
    res.status(204).end();
  });
  r.post('/issues/:key/comments', (req, res) => {
    const issue = issueOr404(req.params.key!, res);
    if (!issue) return;
    const now = clock.nowMs();
    const comment = { id: store.nextId(), body: textToAdf(z.object({ text: z.string() }).parse(req.body).text), authorId: someone(), createdMs: now, updatedMs: now };
    issue.comments.push(comment);
    webhooks.commentEvent(issue, { id: comment.id, body: comment.body }, someone());
    res.status(201).json({ id: comment.id });
  });

  r.get('/webhooks', (_req, res) => void (webhooks.purgeExpired(), res.json({ dynamic: [...store.dynamicWebhooks.values()], admin: [...store.adminWebhooks.values()].map(({ secret: _s, ...h }) => h) })));
  r.post('/webhooks/admin', (req, res) => {
    const b = z.object({ url: z.string().url(), events: z.array(z.string()).min(1), secret: z.string().optional(), jqlFilter: z.string().optional(), name: z.string().default('admin webhook') }).strict().parse(req.body);
    const id = store.nextNumber();
    store.adminWebhooks.set(id, { id, enabled: true, ...b });
    res.status(201).json({ id });
  });
  r.post('/webhooks/flush', async (_req, res) => void (await webhooks.runDue(), res.json({ deliveries: webhooks.deliveries() })));
  r.get('/deliveries', (_req, res) => void res.json({ deliveries: webhooks.deliveries() }));
  r.post('/deliveries/:id/redeliver', async (req, res) => void res.json(await webhooks.redeliver(req.params.id!)));

  log.mountAdminRoutes(r);

  r.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    res.status(err instanceof z.ZodError ? 400 : 500).json({ error: err instanceof Error ? err.message : String(err) });
  });
  return r;
}
