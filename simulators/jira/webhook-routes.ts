import { Router } from 'express';
import { callerOf } from './auth';
import type { SimContext } from './context';
import { badRequest, JiraHttpError } from './errors';
import { parseJql } from './jql';

/**
 * Dynamic webhooks over REST (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-webhooks/, spec
 * registerDynamicWebhooks, getDynamicWebhooksForApp, deleteWebhookById, refreshWebhooks): only Connect and OAuth 2.0
 * apps may call them (others get 403); each registration lives 30 days unless refreshed; refresh ignores unknown ids
 * and answers the new `expirationDate` (epoch ms, per the schema's int64). Registration results are per webhook:
 * `{createdWebhookId}` or `{errors:[...]}`.
 */
const EVENTS = new Set(['jira:issue_created', 'jira:issue_updated', 'jira:issue_deleted', 'comment_created', 'comment_updated', 'comment_deleted', 'issue_property_set', 'issue_property_deleted']);

function ids(body: unknown): number[] {
  const list = (body as { webhookIds?: unknown } | undefined)?.webhookIds;
  if (!Array.isArray(list) || !list.every((x) => Number.isInteger(x))) throw badRequest([], { webhookIds: 'webhookIds must be a list of webhook ids.' });
  return list as number[];
}

export function dynamicWebhookRoutes(ctx: SimContext): Router {
  const r = Router();
  const { store, clock, webhooks } = ctx;
  const appOf = (res: Parameters<typeof callerOf>[0]): string => {
    const caller = callerOf(res);
    if (!caller.clientId) throw new JiraHttpError(403, ['Only Connect and OAuth 2.0 apps can use this operation.']);
    return caller.clientId;
  };

  r.post('/webhook', (req, res) => {
    const clientId = appOf(res);
    const body = (req.body ?? {}) as { url?: unknown; webhooks?: unknown };
    if (typeof body.url !== 'string' || !Array.isArray(body.webhooks)) throw badRequest([], { url: 'url and webhooks are required.' });
    const url = body.url;
    const results = (body.webhooks as { events?: unknown; jqlFilter?: unknown; fieldIdsFilter?: unknown; issuePropertyKeysFilter?: unknown }[]).map((w) => {
      const events = Array.isArray(w.events) ? (w.events as string[]) : [];
      if (events.length === 0 || !events.every((e) => EVENTS.has(e))) return { errors: ['Invalid or missing events.'] };
      if (typeof w.jqlFilter !== 'string') return { errors: ['The JQL filter is required.'] };
      try {
        if (parseJql(w.jqlFilter).clauses.length === 0) return { errors: ['The JQL filter is required.'] };
      } catch (err) {
        return { errors: [`Invalid JQL filter: ${(err as Error).message}`] };
      }
      const id = store.nextNumber();
      store.dynamicWebhooks.set(id, {
        id,
        url,
        events,
        jqlFilter: w.jqlFilter,
        ...(Array.isArray(w.fieldIdsFilter) ? { fieldIdsFilter: w.fieldIdsFilter as string[] } : {}),
        ...(Array.isArray(w.issuePropertyKeysFilter) ? { issuePropertyKeysFilter: w.issuePropertyKeysFilter as string[] } : {}),
        expiresAtMs: clock.nowMs() + webhooks.current().lifetimeMs,
        clientId,
      });
      return { createdWebhookId: id };
    });
    res.json({ webhookRegistrationResult: results });
  });

  r.get('/webhook', (req, res) => {
    const clientId = appOf(res);
    webhooks.purgeExpired();
    const mine = [...store.dynamicWebhooks.values()].filter((h) => h.clientId === clientId);
    const startAt = Math.max(0, Number(req.query.startAt ?? 0) || 0);
    const maxResults = Math.min(100, Math.max(1, Number(req.query.maxResults ?? 100) || 100));
    const values = mine.slice(startAt, startAt + maxResults).map((h) => ({
      id: h.id,
      jqlFilter: h.jqlFilter,
      events: h.events,
      url: h.url,
      expirationDate: h.expiresAtMs,
      ...(h.fieldIdsFilter ? { fieldIdsFilter: h.fieldIdsFilter } : {}),
      ...(h.issuePropertyKeysFilter ? { issuePropertyKeysFilter: h.issuePropertyKeysFilter } : {}),
    }));
    res.json({ startAt, maxResults, total: mine.length, isLast: startAt + values.length >= mine.length, values });
  });

  r.delete('/webhook', (req, res) => {
    const clientId = appOf(res);
    for (const id of ids(req.body)) if (store.dynamicWebhooks.get(id)?.clientId === clientId) store.dynamicWebhooks.delete(id);
    res.status(202).end();
  });

  r.put('/webhook/refresh', (req, res) => {
    const clientId = appOf(res);
    webhooks.purgeExpired();
    const expiresAtMs = clock.nowMs() + webhooks.current().lifetimeMs;
    for (const id of ids(req.body)) {
      const h = store.dynamicWebhooks.get(id);
      if (h?.clientId === clientId) h.expiresAtMs = expiresAtMs;
    }
    res.json({ expirationDate: expiresAtMs });
  });
  return r;
}

/**
 * Admin webhooks (https://developer.atlassian.com/cloud/jira/platform/webhooks/#registering-a-webhook-via-the-jira-rest-api):
 * `POST /rest/webhooks/1.0/webhook` by a Jira administrator (Basic auth here), with an optional `secret` that makes
 * Jira sign deliveries with `X-Hub-Signature`.
 */
export function adminWebhookRoutes(ctx: SimContext): Router {
  const r = Router();
  const { store } = ctx;
  const view = (id: number) => {
    const h = store.adminWebhooks.get(id)!;
    return { self: `${ctx.baseUrl()}/rest/webhooks/1.0/webhook/${id}`, name: h.name, url: h.url, events: h.events, filters: { 'issue-related-events-section': h.jqlFilter ?? '' }, enabled: h.enabled };
  };
  r.post('/', (req, res) => {
    const b = (req.body ?? {}) as { name?: unknown; url?: unknown; events?: unknown; filters?: Record<string, unknown>; secret?: unknown; enabled?: unknown };
    if (typeof b.url !== 'string' || !Array.isArray(b.events)) throw badRequest(['url and events are required.']);
    const jql = b.filters?.['issue-related-events-section'];
    if (typeof jql === 'string' && jql !== '') parseJql(jql);
    const id = store.nextNumber();
    store.adminWebhooks.set(id, {
      id,
      name: typeof b.name === 'string' ? b.name : `webhook ${id}`,
      url: b.url,
      events: b.events as string[],
      ...(typeof jql === 'string' && jql !== '' ? { jqlFilter: jql } : {}),
      ...(typeof b.secret === 'string' && b.secret !== '' ? { secret: b.secret } : {}),
      enabled: b.enabled !== false,
    });
    res.status(201).json(view(id));
  });
  r.get('/', (_req, res) => void res.json([...store.adminWebhooks.keys()].map(view)));
  r.delete('/:id', (req, res) => {
    if (!store.adminWebhooks.delete(Number(req.params.id))) throw new JiraHttpError(404, ['Webhook not found.']);
    res.status(204).end();
  });
  return r;
}
