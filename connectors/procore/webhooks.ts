import { z } from 'zod';
import type { ProcoreClient } from './client';
import { deliverySchema, hookSchema, triggerSchema } from './schemas';

/**
 * The Webhooks API (https://developers.procore.com/documentation/webhooks-api): one hook per connection with our
 * destination URL and `Authorization` header, triggers per resource and event type, and the deliveries listing used
 * to notice a broken destination (`filter[status]=failing`).
 */
export function procoreWebhooks(client: ProcoreClient) {
  const company = client.companyId;
  // filter[status]=any|successful|discarded|failing (https://developers.procore.com/documentation/webhooks-api)
  const deliveries = async (hookId: string, status: 'failing' | 'discarded') => {
    const res = await client.send({ operation: 'GET /rest/v1.0/webhooks/hooks/{id}/deliveries', method: 'GET', path: `/rest/v1.0/webhooks/hooks/${hookId}/deliveries`, query: { company_id: company, 'filter[status]': status } });
    return z.array(deliverySchema).parse(res.data);
  };
  return {
    // GET /rest/v1.0/webhooks/hooks?company_id=
    async listHooks() {
      const res = await client.send({ operation: 'GET /rest/v1.0/webhooks/hooks', method: 'GET', path: '/rest/v1.0/webhooks/hooks', query: { company_id: company } });
      return z.array(hookSchema).parse(res.data);
    },
    // POST /rest/v1.0/webhooks/hooks {company_id, hook:{api_version, namespace, destination_url, destination_headers}}
    async createHook(hook: { namespace: string; destinationUrl: string; authorization: string; apiVersion: 'v2' | 'v3' | 'v4' }) {
      const body = { company_id: company, hook: { api_version: hook.apiVersion, namespace: hook.namespace, destination_url: hook.destinationUrl, destination_headers: { Authorization: hook.authorization } } };
      return hookSchema.parse((await client.send({ operation: 'POST /rest/v1.0/webhooks/hooks', method: 'POST', path: '/rest/v1.0/webhooks/hooks', body })).data);
    },
    // PATCH /rest/v1.0/webhooks/hooks/{id}: repairs the destination (URL, header) in place.
    async updateHook(hookId: string, hook: { destinationUrl: string; authorization: string }) {
      const body = { company_id: company, hook: { destination_url: hook.destinationUrl, destination_headers: { Authorization: hook.authorization } } };
      await client.send({ operation: 'PATCH /rest/v1.0/webhooks/hooks/{id}', method: 'PATCH', path: `/rest/v1.0/webhooks/hooks/${hookId}`, body });
    },
    // GET /rest/v1.0/webhooks/hooks/{id}/triggers
    async listTriggers(hookId: string) {
      const res = await client.send({ operation: 'GET /rest/v1.0/webhooks/hooks/{id}/triggers', method: 'GET', path: `/rest/v1.0/webhooks/hooks/${hookId}/triggers`, query: { company_id: company } });
      return z.array(triggerSchema).parse(res.data);
    },
    // POST /rest/v1.0/webhooks/hooks/{id}/triggers {company_id, api_version, trigger:{resource_name, event_type}}
    async createTrigger(hookId: string, resourceName: string, eventType: 'create' | 'update' | 'delete') {
      const body = { company_id: company, api_version: 'v2', trigger: { resource_name: resourceName, event_type: eventType } };
      return triggerSchema.parse((await client.send({ operation: 'POST /rest/v1.0/webhooks/hooks/{id}/triggers', method: 'POST', path: `/rest/v1.0/webhooks/hooks/${hookId}/triggers`, body })).data);
    },
    // GET /rest/v1.0/webhooks/hooks/{id}/deliveries?filter[status]=failing
    failingDeliveries: (hookId: string) => deliveries(hookId, 'failing'),
    // GET /rest/v1.0/webhooks/hooks/{id}/deliveries?filter[status]=discarded: events Procore gave up on after 12 h.
    discardedDeliveries: (hookId: string) => deliveries(hookId, 'discarded'),
  };
}
export type ProcoreWebhooks = ReturnType<typeof procoreWebhooks>;
