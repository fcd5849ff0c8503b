import { createHash, randomBytes } from 'node:crypto';
import { getCredentials, putCredentials } from '../../db/connections';
import { isPartnerError } from '../../core/partner-error';
import type { HousekeepingTask } from '../types';
import { procoreWebhookSecretSchema, type PeopleSoftProcoreConfig } from './config';
import { pairContext } from './context';
import { HANDLED_RESOURCES } from './webhook-receiver';

export const HOUSEKEEPING_WEBHOOK = 'procore-webhook';
const EVERY_MS = 3_600_000;

export function webhookTarget(baseUrl: string, connectionId: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/webhooks/procore/${encodeURIComponent(connectionId)}`;
}

/** One hook per connection, in a namespace of `a-z0-9-` only (https://developers.procore.com/documentation/webhooks-api). */
export const namespaceOf = (connectionId: string) => `mlc-${createHash('sha256').update(connectionId).digest('hex').slice(0, 12)}`;

const TRIGGERS = [HANDLED_RESOURCES.directCosts, HANDLED_RESOURCES.changeOrders, HANDLED_RESOURCES.commitments, HANDLED_RESOURCES.requisitions].flatMap((resource) => (['create', 'update'] as const).map((event) => ({ resource, event })));

/**
 * Keeps this connection's Procore hook in place: generates the destination Authorization value once (stored encrypted),
 * creates the hook and its triggers when missing, repairs a hook whose destination changed, and reads
 * `deliveries?filter[status]=failing` to report a broken destination (Procore discards events after 12 h of failures;
 * the poll catches what they carried).
 */
export const procoreWebhookHousekeeping: HousekeepingTask<PeopleSoftProcoreConfig> = {
  name: HOUSEKEEPING_WEBHOOK,
  kind: 'webhook-renewal',
  everyMs: EVERY_MS,
  enabled: (config) => config.webhooks.baseUrl !== undefined,
  async run(deps, ctx) {
    const pair = pairContext(ctx);
    const base = pair.config.webhooks.baseUrl;
    if (!base) return { action: 'skipped', detail: 'no webhooks.baseUrl: Procore is polled only' };
    const creds = await getCredentials(deps.pool, deps.cipher, pair.connectionId);
    let secret = procoreWebhookSecretSchema.safeParse(creds.procoreWebhook).data?.authorization;
    if (!secret) {
      secret = `Bearer ${randomBytes(32).toString('base64url')}`;
      await putCredentials(deps.pool, deps.cipher, pair.connectionId, 'procoreWebhook', { authorization: secret });
    }
    const url = webhookTarget(base, pair.connectionId);
    const namespace = namespaceOf(pair.connectionId);
    const hooks = pair.procore.webhooks;
    let hook = (await hooks.listHooks()).find((h) => h.namespace === namespace);
    let action = 'ok';
    if (!hook) {
      hook = await hooks.createHook({ namespace, destinationUrl: url, authorization: secret, apiVersion: pair.config.webhooks.apiVersion });
      action = 'registered';
    } else if (hook.destination_url !== url) {
      await hooks.updateHook(hook.id, { destinationUrl: url, authorization: secret });
      action = 'repaired';
    }
    const have = new Set((await hooks.listTriggers(hook.id)).map((t) => `${t.resource_name}|${t.event_type}`));
    // The requisitions resource name is UNCONFIRMED (a third party's sandbox listing shows "Payment Applications", no
    // "Requisitions"): a trigger Procore refuses (422) is reported and the others stay; the poll covers that resource.
    const refused: string[] = [];
    for (const t of TRIGGERS) {
      if (have.has(`${t.resource}|${t.event}`)) continue;
      try {
        await hooks.createTrigger(hook.id, t.resource, t.event);
      } catch (err) {
        if (!isPartnerError(err) || err.decision.retry) throw err;
        refused.push(`${t.resource}/${t.event} (${err.status ?? ''} ${err.rawBody?.slice(0, 200) ?? err.message})`);
      }
    }
    if (refused.length > 0) action = `${action}; triggers refused`;
    const failing = await hooks.failingDeliveries(hook.id);
    if (failing.length > 0) {
      const last = failing[failing.length - 1]!;
      return { action: 'failing', detail: `${failing.length} failing deliveries to ${url}; last: ${last.response_status ?? ''} ${last.response_error ?? ''}`.trim() };
    }
    // After 12 h Procore stops retrying and the events leave `failing` for `discarded`: the destination was broken all
    // along, so a discard since the last run is reported too (the poll has caught what those events carried).
    const since = Date.now() - EVERY_MS;
    const discarded = (await hooks.discardedDeliveries(hook.id)).filter((d) => d.outcome === 'discarded' && (!d.started_at || Date.parse(d.started_at) >= since));
    if (discarded.length > 0) return { action: 'discarded', detail: `${discarded.length} events to ${url} discarded by Procore after 12 h of failed deliveries: check the destination` };
    return { action, detail: `hook ${hook.id} -> ${url}${refused.length > 0 ? `; Procore refused triggers (polled instead): ${refused.join(', ')}` : ''}` };
  },
};
