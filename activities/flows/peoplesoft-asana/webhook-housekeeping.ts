import { isOurTarget, newHandshakeToken, withHandshakeToken, type WebhookFilter } from '../../../connectors/asana';
import { type CredentialCipher } from '../../../db/credential-cipher';
import { type Db } from '../../../db/pool';
import { type FlowContext, type FlowFactory, type FlowRuntime } from '../types';
import { pairContext, type PairContext } from './context';
import { listRegistrations, markActive, markChecked, markPending, openSecret, storePendingSecret } from '../../../db/webhook-registrations';

export const PARTNER = 'asana';

/** Only completion changes matter to the return path; everything else about a task is re-read when needed. */
export const TASK_WEBHOOK_FILTERS: WebhookFilter[] = [{ resource_type: 'task', action: 'changed', fields: ['completed'] }];

export interface HousekeepingDeps {
  pool: Db;
  cipher: CredentialCipher;
}

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
export async function ensureAsanaWebhook(deps: HousekeepingDeps, pair: PairContext): Promise<WebhookCheck> {
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
 * The housekeeping check as a flow, so the engine's schedule runs it once per poll without engine changes: the window
 * yields no records, the check is the side effect. Needs the pool, so it is built from activity deps.
 */
export function webhookHousekeepingFlow(deps: HousekeepingDeps): FlowFactory {
  return (ctx: FlowContext): FlowRuntime => {
    const pair = pairContext(ctx);
    const none = () => Promise.reject(new Error('the housekeeping flow writes no records'));
    return {
      sourceSystem: 'asana-webhooks',
      targetSystem: 'asana-webhooks',
      direction: 'housekeeping',
      async fetchWindow() {
        await ensureAsanaWebhook(deps, pair);
        return [];
      },
      map: () => {
        throw new Error('the housekeeping flow maps no records');
      },
      create: none,
      update: none,
      findExisting: () => Promise.resolve(undefined),
    };
  };
}
