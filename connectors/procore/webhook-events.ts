import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * Procore signs nothing: the only proof a delivery is Procore's is the `Authorization` header we configured on the hook
 * (`destination_headers`, https://developers.procore.com/documentation/webhooks-api). We generate one per connection,
 * store it encrypted and compare it in constant time (both sides hashed first, so lengths never leak either).
 */
export function verifyDestinationAuthorization(received: string | string[] | undefined, expected: string): boolean {
  if (typeof received !== 'string' || expected === '') return false;
  const a = createHash('sha256').update(received).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

const id = z.union([z.string().min(1), z.number()]).transform((v) => String(v));

/**
 * Delivery payloads (https://developers.procore.com/documentation/webhooks): v2 `{id, ulid, event_type, resource_name,
 * resource_id, project_id, company_id, timestamp}`, v3 the same plus `related_resources`, v4 string ids, `reason`
 * instead of event_type and `resource_type` instead of resource_name, `id` a ULID. Normalised to one shape; the
 * event id (for de-duplication) is the ULID when there is one.
 */
const v2Schema = z.looseObject({ id, ulid: z.string().optional(), event_type: z.string(), resource_name: z.string(), resource_id: id, project_id: id.nullish(), company_id: id.nullish(), api_version: z.string().optional(), timestamp: z.string().optional() });
const v4Schema = z.looseObject({ id, reason: z.string(), resource_type: z.string(), resource_id: id, project_id: id.nullish(), company_id: id.nullish(), api_version: z.string().optional(), timestamp: z.string().optional() });

export interface ProcoreEvent {
  eventId: string;
  eventType: string;
  resourceName: string;
  resourceId: string;
  projectId?: string;
  companyId?: string;
  apiVersion: string;
}

export function parseProcoreEvent(json: unknown): ProcoreEvent | undefined {
  const v4 = v4Schema.safeParse(json);
  if (v4.success) {
    const e = v4.data;
    return { eventId: e.id, eventType: e.reason, resourceName: e.resource_type, resourceId: e.resource_id, projectId: e.project_id ?? undefined, companyId: e.company_id ?? undefined, apiVersion: e.api_version ?? 'v4.0' };
  }
  const v2 = v2Schema.safeParse(json);
  if (!v2.success) return undefined;
  const e = v2.data;
  return { eventId: e.ulid ?? e.id, eventType: e.event_type, resourceName: e.resource_name, resourceId: e.resource_id, projectId: e.project_id ?? undefined, companyId: e.company_id ?? undefined, apiVersion: e.api_version ?? 'v2' };
}
