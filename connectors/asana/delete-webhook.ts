import { z } from 'zod';
import { isPartnerError } from '../../core/partner-error';
import type { AsanaClient } from './client';

/**
 * DELETE /webhooks/{webhook_gid} -> 200 {data: {}} (deleteWebhook; https://developers.asana.com/reference/deletewebhook).
 * A 404 means it is already gone (Asana deletes failing webhooks itself): treated as done, so the call is idempotent.
 */
export async function deleteWebhook(client: AsanaClient, webhookGid: string): Promise<'deleted' | 'already-gone'> {
  try {
    await client.send(
      { operation: 'DELETE /webhooks/{webhook_gid}', method: 'DELETE', path: `/webhooks/${encodeURIComponent(webhookGid)}` },
      z.object({ data: z.object({}).loose() }).loose(),
    );
    return 'deleted';
  } catch (err) {
    if (isPartnerError(err) && err.status === 404) return 'already-gone';
    throw err;
  }
}
