import { isOurTarget, newHandshakeToken, withHandshakeToken, type WebhookFilter } from '../../connectors/asana';
import { listRegistrations, markActive, markChecked, markPending, openSecret, storePendingSecret } from '../../db/webhook-registrations';
import { type HousekeepingTask, type WebhookDeps } from '../types';
import { HOUSEKEEPING_WEBHOOK, type PeopleSoftAsanaConfig } from './config';
import { pairContext, type PairContext } from './context';

export const PARTNER = 'asana';

/** Only completion changes matter to the return path; everything else about a task is re-read when needed. */
export const TASK_WEBHOOK_FILTERS: WebhookFilter[] = [{ resource_type: 'task', action: 'changed', fields: ['completed'] }];

export type WebhookCheck =
  | { action: 'ok'; webhookId: string }
  | { action: 'registered'; webhookId: string; reason: string }
  | { action: 'skipped'; reason: string };

export function webhookTarget(baseUrl: string, connectionId: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/webhooks/asana/${encodeURIComponent(connectionId)}`;
}

/**
 * Makes sure the connection's project has a live webhook whose secret we hold, registering one when not. Asana
 * deletes a webhook after 24 h of failed deliveries (https://developers.asana.com/docs/webhooks-guide "Error
 * handling and retry"), silently: only listing the workspace's webhooks shows it is gone.
 */
export async function ensureAsanaWebhook(deps: WebhookDeps, pair: PairContext): Promise<WebhookCheck> {
  const base = pair.config.webhookBaseUrl;
  if (!base) return { action: 'skipped', reason: 'the connection has no webhookBaseUrl; decisions are picked up by the fallback poll only' };
  const target = webhookTarget(base, pair.connectionId);
  const key = { connectionId: pair.connectionId, partner: PARTNER, resource: pair.config.asana.projectGid };
  const [hooks, regs] = await Promise.all([
    // https://developers.asana.com/reference/getwebhooks
    pair.asana.listWebhooks(key.resource),
    listRegistrations(deps.pool, key.connectionId, PARTNER),
  ]);
  const reg = regs.find((r) => r.resource === key.resource);
  const ours = hooks.filter((h) => h.target !== undefined && isOurTarget(h.target, target));
  const live = ours.find((h) => h.active !== false && h.gid === reg?.webhook_id);
  if (live && reg?.status === 'active' && openSecret(deps.cipher, reg)) {
    await markChecked(deps.pool, key, 'active');
    return { action: 'ok', webhookId: live.gid };
  }
  const reason = !reg ? 'never registered' : !live ? 'webhook missing in Asana (deleted after failed deliveries?)' : 'registration incomplete';
  // A webhook to our target whose secret we do not hold (or an inactive one) cannot be verified: replace it.
  for (const stale of ours) {
    // https://developers.asana.com/reference/deletewebhook
    await pair.asana.deleteWebhook(stale.gid).catch(() => undefined);
  }
  // Only a handshake presenting this one-time token (in the target we give Asana) may store a secret; we keep its hash.
  const handshake = newHandshakeToken();
  await markPending(deps.pool, { ...key, targetUrl: target, handshakeTokenHash: handshake.hash });
  try {
    // https://developers.asana.com/reference/createwebhook — Asana calls our receiver with X-Hook-Secret during this call.
    const { webhook, secret } = await pair.asana.createWebhook({ target: withHandshakeToken(target, handshake.token), resourceGid: key.resource, filters: TASK_WEBHOOK_FILTERS });
    const [row] = (await listRegistrations(deps.pool, key.connectionId, PARTNER)).filter((r) => r.resource === key.resource);
    const received = row ? openSecret(deps.cipher, row) : undefined;
    // The 201 carries the secret Asana sent in the handshake (https://developers.asana.com/docs/webhooks-guide): an
    // answer to our own authenticated call, so it wins over whatever reached the receiver.
    if (secret && secret !== received) await storePendingSecret(deps.pool, deps.cipher, key, secret);
    if (!secret && !received) throw new Error('Asana created the webhook but no handshake secret reached us: it cannot be verified');
    await markActive(deps.pool, { ...key, webhookId: webhook.gid });
    return { action: 'registered', webhookId: webhook.gid, reason };
  } catch (err) {
    await markChecked(deps.pool, key, 'missing');
    throw err;
  }
}

/**
 * Housekeeping, not a flow: the check reads and writes no records. Hourly is far inside Asana's 24 h before it deletes
 * a failing webhook; an asked-for poll (pollNow, a connection's first poll) checks at once.
 */
export const asanaWebhookHousekeeping: HousekeepingTask<PeopleSoftAsanaConfig> = {
  name: HOUSEKEEPING_WEBHOOK,
  kind: 'webhook-renewal',
  everyMs: 60 * 60_000,
  enabled: (config) => config.flows.webhookHousekeeping,
  async run(deps, ctx) {
    const check = await ensureAsanaWebhook(deps, pairContext(ctx));
    return { action: check.action, detail: 'reason' in check ? check.reason : check.webhookId };
  },
};
