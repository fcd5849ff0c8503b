import { z } from 'zod';
import type { AsanaClient } from './client';
import { rawWebhookSchema, type RawWebhook } from './schemas';

export interface WebhookFilter {
  resource_type: string;
  resource_subtype?: string;
  action?: 'changed' | 'added' | 'removed' | 'deleted' | 'undeleted';
  /** Only with action "changed". */
  fields?: string[];
}

export interface CreateWebhookInput {
  /** Defaults to the connection's project. */
  resourceGid?: string;
  /** Our public receiver URL; it must answer Asana's X-Hook-Secret handshake while this call is in flight. */
  target: string;
  filters?: WebhookFilter[];
}

const createdSchema = z.object({ data: rawWebhookSchema, 'X-Hook-Secret': z.string().optional() }).loose();

/**
 * POST /webhooks (createWebhook, asana_oas.yaml L64226+; https://developers.asana.com/reference/createwebhook).
 * Asana calls `target` with X-Hook-Secret before answering; our receiver must store that secret (see
 * webhook-handshake.ts). The 201 body also carries the secret, which lets us check it matches what the receiver got.
 */
export async function createWebhook(
  client: AsanaClient,
  input: CreateWebhookInput,
): Promise<{ webhook: RawWebhook; secret: string | undefined }> {
  const res = await client.send(
    {
      operation: 'POST /webhooks',
      method: 'POST',
      path: '/webhooks',
      query: { opt_fields: 'active,resource,target,created_at,filters,last_success_at,last_failure_at' },
      body: {
        resource: input.resourceGid ?? client.config.projectGid,
        target: input.target,
        ...(input.filters ? { filters: input.filters } : {}),
      },
    },
    createdSchema,
  );
  return { webhook: res.body.data, secret: res.body['X-Hook-Secret'] };
}
