import type { AsanaClient } from './client';
import { rawWebhookSchema, type RawWebhook } from './schemas';

/**
 * GET /webhooks?workspace=<gid>[&resource=<gid>] (getWebhooks; https://developers.asana.com/reference/getwebhooks):
 * workspace is required. Housekeeping uses it to re-register webhooks Asana deleted after 24 h of failed delivery.
 */
export async function listWebhooks(client: AsanaClient, resourceGid?: string): Promise<RawWebhook[]> {
  const out: RawWebhook[] = [];
  const call = {
    operation: 'GET /webhooks',
    method: 'GET' as const,
    path: '/webhooks',
    query: {
      workspace: client.config.workspaceGid,
      resource: resourceGid,
      opt_fields: 'active,resource,target,created_at,last_success_at,last_failure_at,last_failure_content,delivery_retry_count,filters',
    },
  };
  for await (const page of client.pages(call, rawWebhookSchema)) out.push(...page);
  return out;
}
