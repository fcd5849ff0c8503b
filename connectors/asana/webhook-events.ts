import { z } from 'zod';

/**
 * A webhook delivery: `{"events":[...]}`; an empty array is a heartbeat (https://developers.asana.com/docs/webhooks-guide
 * "Receiving events", "Heartbeat events"; spec `EventResponse`). Events are compact: fetch the resource for details.
 * Delivery is at-most-once and may repeat, so the inbox de-duplicates (see asanaEventKey).
 */
const ref = z.object({ gid: z.string(), resource_type: z.string(), resource_subtype: z.string().nullable().optional() }).loose();

export const asanaEventSchema = z
  .object({
    user: ref.nullable().optional(),
    created_at: z.string(),
    action: z.enum(['changed', 'added', 'removed', 'deleted', 'undeleted']),
    resource: ref,
    parent: ref.nullable().optional(),
    change: z
      .object({ field: z.string(), action: z.string(), new_value: z.unknown().optional(), added_value: z.unknown().optional(), removed_value: z.unknown().optional() })
      .loose()
      .optional(),
  })
  .loose();
export type AsanaEvent = z.infer<typeof asanaEventSchema>;

export const asanaDeliverySchema = z.object({ events: z.array(asanaEventSchema) }).loose();
export type AsanaDelivery = z.infer<typeof asanaDeliverySchema>;

export const isHeartbeat = (delivery: AsanaDelivery): boolean => delivery.events.length === 0;

/** Asana events carry no id: this key identifies one event across redeliveries, for inbox de-duplication. */
export function asanaEventKey(event: AsanaEvent): string {
  return [event.resource.gid, event.action, event.change?.field ?? '', event.parent?.gid ?? '', event.user?.gid ?? '', event.created_at].join('|');
}
