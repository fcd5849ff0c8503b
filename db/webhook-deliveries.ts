import { z } from 'zod';
import { execute, queryRows, type Queryable } from './pool';

/** Partners retry for about a day (Asana 24 h); a week of delivery ids is plenty to recognise a redelivery. */
const KEEP_DAYS = 7;

export async function deliverySeen(db: Queryable, d: { connectionId: string; partner: string; deliveryId: string }): Promise<boolean> {
  const rows = await queryRows(
    db,
    'find webhook delivery',
    'SELECT 1 AS seen FROM webhook_deliveries WHERE connection_id = $1 AND partner = $2 AND delivery_id = $3',
    [d.connectionId, d.partner, d.deliveryId],
    z.object({ seen: z.number() }),
  );
  return rows.length > 0;
}

/** After the delivery's signal was accepted: a crash before this only costs one duplicate signal, never a lost one. */
export async function markDeliverySeen(db: Queryable, d: { connectionId: string; partner: string; deliveryId: string }): Promise<void> {
  await execute(
    db,
    'mark webhook delivery',
    `WITH pruned AS (DELETE FROM webhook_deliveries WHERE connection_id = $1 AND received_at < now() - make_interval(days => $4))
     INSERT INTO webhook_deliveries (connection_id, partner, delivery_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
    [d.connectionId, d.partner, d.deliveryId, KEEP_DAYS],
  );
}
