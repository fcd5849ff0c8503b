import { randomBytes } from 'node:crypto';
import { Router } from 'express';
import { authOf } from './auth';
import { dataOf, optFieldsOf, type SimContext } from './context';
import { AsanaHttpError, badRequest, forbidden, notFound } from './errors';
import { project } from './opt-fields';
import { paginate } from './pagination';
import { fullWebhook } from './serialize';
import type { SimWebhook, SimWebhookFilter } from './store';

const ACTIONS = new Set(['changed', 'added', 'removed', 'deleted', 'undeleted']);
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1', '0.0.0.0']);

function parseFilters(raw: unknown): SimWebhookFilter[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw badRequest('filters: Value is not an array');
  return raw.map((f: unknown, i) => {
    if (typeof f !== 'object' || f === null) throw badRequest(`filters: [${i}]: Value is not an object`);
    const { resource_type, resource_subtype, action, fields } = f as Record<string, unknown>;
    if (action !== undefined && (typeof action !== 'string' || !ACTIONS.has(action))) {
      throw badRequest(`filters: [${i}]: action: Not one of changed, added, removed, deleted, undeleted`);
    }
    // WebhookFilter.fields: "Only allowed if action is changed" (asana_oas.yaml L9064-9140).
    if (fields !== undefined && action !== 'changed') {
      throw badRequest(`filters: [${i}]: fields: Only allowed if action is "changed"`);
    }
    if (fields !== undefined && (!Array.isArray(fields) || fields.some((x) => typeof x !== 'string'))) {
      throw badRequest(`filters: [${i}]: fields: Value is not an array of strings`);
    }
    return {
      ...(typeof resource_type === 'string' ? { resource_type } : {}),
      ...(typeof resource_subtype === 'string' ? { resource_subtype } : {}),
      ...(typeof action === 'string' ? { action } : {}),
      ...(Array.isArray(fields) ? { fields: fields as string[] } : {}),
    };
  });
}

/**
 * The handshake: "while the create POST is still in flight, Asana POSTs to the target with an X-Hook-Secret header.
 * The target must reply 200 or 204 and echo the same X-Hook-Secret header" (createWebhook description;
 * https://developers.asana.com/docs/webhooks-guide#the-webhook-handshake).
 */
async function handshake(target: string, secret: string, timeoutMs: number): Promise<string | undefined> {
  try {
    const res = await fetch(target, {
      method: 'POST',
      headers: { 'x-hook-secret': secret, 'content-length': '0' },
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.arrayBuffer();
    if (res.status !== 200 && res.status !== 204) return `target answered the handshake with HTTP ${res.status}`;
    if (res.headers.get('x-hook-secret') !== secret) return 'target did not echo the X-Hook-Secret header';
    return undefined;
  } catch (err) {
    return `could not reach the target (${(err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name})`;
  }
}

export function webhookRoutes(ctx: SimContext): Router {
  const r = Router();
  const { store } = ctx;

  // POST /webhooks (createWebhook, asana_oas.yaml L64226+): 201 {data, "X-Hook-Secret"} as in the spec's example.
  r.post('/webhooks', async (req, res) => {
    const data = dataOf(req);
    if (!data) throw badRequest('data: Missing input');
    const { resource, target } = data;
    if (typeof resource !== 'string' || resource === '') throw badRequest('resource: Missing input');
    if (typeof target !== 'string' || target === '') throw badRequest('target: Missing input');
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      throw badRequest('target: Invalid URL');
    }
    const filters = parseFilters(data.filters);
    const projectRes = store.projects.get(resource);
    const taskRes = store.tasks.get(resource);
    const workspaceRes = store.workspaces.get(resource);
    if (!projectRes && !taskRes && !workspaceRes) throw badRequest(`resource: Not a recognized ID: ${resource}`);
    // "Teams, portfolios and workspaces require filters" (webhooks guide, "Filtering").
    if (workspaceRes && filters.length === 0) throw badRequest('filters: Filters are required for workspace webhooks');
    // "Invalid hostnames like localhost will receive a 403 Forbidden status code." (createWebhook description).
    // Configurable (allowLocalhostTargets) because our tests' receivers listen on loopback.
    if (LOOPBACK.has(url.hostname) && !ctx.webhooks.current().allowLocalhostTargets) {
      throw forbidden(`target: Invalid hostname: ${url.hostname}`);
    }
    const secret = randomBytes(32).toString('hex');
    const failure = await handshake(target, secret, ctx.webhooks.current().deliveryTimeoutMs);
    if (failure) {
      // The docs only say the create "will fail"; the wording is not documented (UNCONFIRMED).
      throw new AsanaHttpError(400, `Could not complete activation handshake with target URL: ${failure}`);
    }
    const now = ctx.clock.nowMs();
    const hook: SimWebhook = {
      gid: store.newGid(),
      resourceGid: resource,
      resourceType: projectRes ? 'project' : taskRes ? 'task' : 'workspace',
      workspaceGid: projectRes?.workspaceGid ?? taskRes?.workspaceGid ?? resource,
      target,
      filters,
      secret,
      ownerKey: authOf(res).ownerKey,
      active: true,
      createdAt: new Date(now).toISOString(),
      lastSuccessAt: null,
      lastFailureAt: null,
      lastFailureContent: null,
      deliveryRetryCount: 0,
      nextAttemptAfterMs: null,
      failingSinceMs: null,
      lastHeartbeatMs: now,
      pending: [],
    };
    store.webhooks.set(hook.gid, hook);
    res
      .status(201)
      .location(`${ctx.baseUrl()}/api/1.0/webhooks/${hook.gid}`)
      .json({ data: project(fullWebhook(store, hook), optFieldsOf(req), 'full'), 'X-Hook-Secret': secret });
  });

  // GET /webhooks?workspace= (getWebhooks): workspace is required; lists the caller's webhooks.
  r.get('/webhooks', (req, res) => {
    const { workspace, resource } = req.query;
    if (typeof workspace !== 'string' || workspace === '') throw badRequest('workspace: Missing input');
    const mine = [...store.webhooks.values()].filter(
      (h) =>
        h.workspaceGid === workspace &&
        h.ownerKey === authOf(res).ownerKey &&
        (typeof resource !== 'string' || h.resourceGid === resource),
    );
    const page = paginate(req, mine, ctx.pagination, ctx.clock.nowMs(), ctx.baseUrl());
    const data = page.items.map((h) => project(fullWebhook(store, h), optFieldsOf(req), 'compact'));
    res.json(page.nextPage === undefined ? { data } : { data, next_page: page.nextPage });
  });

  r.get('/webhooks/:webhook_gid', (req, res) => {
    const hook = store.webhooks.get(req.params.webhook_gid);
    if (!hook) throw notFound(`webhook: Unknown object: ${req.params.webhook_gid}`);
    res.json({ data: project(fullWebhook(store, hook), optFieldsOf(req), 'full') });
  });

  // DELETE /webhooks/{gid} -> 200 {data: {}} (deleteWebhook, EmptyResponse).
  r.delete('/webhooks/:webhook_gid', (req, res) => {
    if (!store.webhooks.delete(req.params.webhook_gid)) {
      throw notFound(`webhook: Unknown object: ${req.params.webhook_gid}`);
    }
    res.json({ data: {} });
  });

  return r;
}
