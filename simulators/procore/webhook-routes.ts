import { Router } from 'express';
import type { SimContext } from './context';
import { sendProcore } from './json';
import { bracketParam } from './paging';
import { resourceNames } from './store';

const NAMESPACE = /^[a-z0-9-]+$/;

/** The Webhooks API (https://developers.procore.com/documentation/webhooks-api): hooks, triggers, deliveries, resources. */
export function webhookRoutes(ctx: SimContext): Router {
  const r = Router();
  const { webhooks, store } = ctx;
  const hookOut = (id: string) => {
    const h = webhooks.hooks.get(id)!;
    return { id: h.id, namespace: h.namespace, destination_url: h.destination_url, destination_headers: Object.fromEntries(Object.keys(h.destination_headers).map((k) => [k, '[FILTERED]'])), api_version: h.api_version, company_id: store.companyId };
  };

  r.get('/rest/v1.0/webhooks/resources', (_req, res) => sendProcore(res, 200, Object.values(resourceNames).map((name) => ({ name }))));
  r.get('/rest/v1.0/webhooks/hooks', (_req, res) => sendProcore(res, 200, [...webhooks.hooks.keys()].map(hookOut)));
  r.post('/rest/v1.0/webhooks/hooks', (req, res) => {
    const hook = ((req.body as Record<string, unknown>).hook ?? {}) as Record<string, unknown>;
    const namespace = typeof hook.namespace === 'string' ? hook.namespace : '';
    if (!NAMESPACE.test(namespace)) return sendProcore(res, 422, { errors: { namespace: ['may only contain lowercase letters, numbers and dashes'] } });
    if (typeof hook.destination_url !== 'string') return sendProcore(res, 422, { errors: { destination_url: ["can't be blank"] } });
    const id = store.newId();
    const headers = (hook.destination_headers ?? {}) as Record<string, string>;
    webhooks.hooks.set(id, { id, namespace, destination_url: hook.destination_url, destination_headers: headers, api_version: typeof hook.api_version === 'string' ? hook.api_version : 'v2', triggers: [] });
    sendProcore(res, 201, hookOut(id));
  });
  r.patch('/rest/v1.0/webhooks/hooks/:id', (req, res) => {
    const h = webhooks.hooks.get(req.params.id);
    if (!h) return sendProcore(res, 404, { errors: 'Hook not found' });
    const hook = ((req.body as Record<string, unknown>).hook ?? {}) as Record<string, unknown>;
    if (typeof hook.destination_url === 'string') h.destination_url = hook.destination_url;
    if (hook.destination_headers) h.destination_headers = hook.destination_headers as Record<string, string>;
    sendProcore(res, 200, hookOut(h.id));
  });
  r.delete('/rest/v1.0/webhooks/hooks/:id', (req, res) => {
    webhooks.hooks.delete(req.params.id);
    res.status(204).end();
  });
  r.get('/rest/v1.0/webhooks/hooks/:id/triggers', (req, res) => {
    const h = webhooks.hooks.get(req.params.id);
    return h ? sendProcore(res, 200, h.triggers) : sendProcore(res, 404, { errors: 'Hook not found' });
  });
  r.post('/rest/v1.0/webhooks/hooks/:id/triggers', (req, res) => {
    const h = webhooks.hooks.get(req.params.id);
    if (!h) return sendProcore(res, 404, { errors: 'Hook not found' });
    const t = ((req.body as Record<string, unknown>).trigger ?? {}) as Record<string, unknown>;
    if (!Object.values(resourceNames).includes(String(t.resource_name)) || !['create', 'update', 'delete'].includes(String(t.event_type))) {
      return sendProcore(res, 422, { errors: { trigger: ['resource_name must be one of GET /webhooks/resources and event_type create, update or delete'] } });
    }
    const trigger = { id: store.newId(), resource_name: String(t.resource_name), event_type: String(t.event_type) };
    h.triggers.push(trigger);
    sendProcore(res, 201, trigger);
  });
  // filter[status]=any|successful|discarded|failing
  r.get('/rest/v1.0/webhooks/hooks/:id/deliveries', (req, res) => {
    const status = bracketParam(req, 'filter', 'status') ?? 'any';
    sendProcore(res, 200, webhooks.listDeliveries(req.params.id, status));
  });
  return r;
}
