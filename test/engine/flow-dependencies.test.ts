import { WorkflowUpdateFailedError } from '@temporalio/client';
import { updateConfigUpdate } from '../../core/sync-messages';
import { type FlowSettings } from '../../core/sync-types';
import { ORDERS_TO_TARGET } from '../fixtures/test-partner-orders';
import { eventually } from '../support/worker-process';
import { engineSuite, FLOW as VENDORS } from './engine-harness';

const DAY = 86_400_000;
const HOUR = 3_600_000;

describe('flow dependencies on the real Temporal dev server and PostgreSQL', () => {
  const suite = engineSuite('dependencies');
  const scenario = suite.scenario;
  const count = async (sql: string, params: unknown[]) => (await suite.db.pool.query<{ n: number }>(sql, params)).rows[0]!.n;

  it('runs vendors before the orders that depend on them and never reads an order past the vendors watermark', async () => {
    const s = scenario();
    const start = new Date(Date.now() - 11 * DAY);
    for (let i = 0; i < 10; i++) {
      const vendorAt = new Date(start.getTime() + i * DAY + HOUR).toISOString();
      const vendorKey = `V-${i}`;
      s.partner.source.set(vendorKey, { key: vendorKey, updatedAt: vendorAt, name: `Vendor ${i}`, amount: 0 });
      s.partner.orders.set(`O-${i}`, { key: `O-${i}`, updatedAt: new Date(start.getTime() + i * DAY + 12 * HOUR).toISOString(), vendorKey, amount: i });
    }
    const window = { overlapMs: 60_000, initialFrom: start.toISOString(), enabled: true };
    // Orders are declared first and read far ahead; vendors move one day per window: only the dependency holds orders back.
    const flows: FlowSettings[] = [
      { flow: ORDERS_TO_TARGET, maxWindowMs: 30 * DAY, dependsOn: [VENDORS], ...window },
      { flow: VENDORS, maxWindowMs: DAY, ...window },
    ];
    await s.start({ flows });
    await eventually(async () => s.partner.targetOrders.size === 10 && (await s.status()).state === 'idle', 120_000, '10 orders on the target');

    for (const order of s.partner.targetOrders.values()) {
      const vendor = s.partner.entries.get(order.vendorId)!;
      expect(vendor.externalKey).toBe(`V-${order.externalKey.slice(2)}`);
      expect(order.seq).toBeGreaterThan(vendor.seq);
    }
    // No order ever had to wait for its vendor, and none failed.
    expect(await count(`SELECT count(*)::int AS n FROM audit_events WHERE connection_id = $1 AND action = 'wait'`, [s.connectionId])).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM dead_letters WHERE connection_id = $1`, [s.connectionId])).toBe(0);
    const status = await s.status();
    expect(Date.parse(status.progress[ORDERS_TO_TARGET]!.watermark)).toBeLessThanOrEqual(Date.parse(status.progress[VENDORS]!.watermark));
    expect(status.progress[ORDERS_TO_TARGET]!.waiting).toBeUndefined();
  });

  it('keeps an order whose vendor is missing waiting (in status, with the key), syncs it once the vendor arrives, and dead-letters after the wait', async () => {
    const s = scenario();
    const start = new Date(Date.now() - 2 * DAY);
    s.partner.orders.set('O-late', { key: 'O-late', updatedAt: new Date(start.getTime() + HOUR).toISOString(), vendorKey: 'V-LATE', amount: 5 });
    s.partner.orders.set('O-never', { key: 'O-never', updatedAt: new Date(start.getTime() + 2 * HOUR).toISOString(), vendorKey: 'V-NEVER', amount: 7 });
    const window = { overlapMs: 60_000, maxWindowMs: 30 * DAY, initialFrom: start.toISOString(), enabled: true };
    const flows: FlowSettings[] = [
      { flow: VENDORS, ...window },
      { flow: ORDERS_TO_TARGET, dependsOn: [VENDORS], ...window },
    ];
    const handle = await s.start({ flows });
    const waiting = await eventually(async () => {
      const st = await s.status();
      return st.state === 'idle' && st.progress[ORDERS_TO_TARGET]?.waiting?.count === 2 && st;
    }, 60_000, 'two orders waiting');
    expect(waiting.progress[ORDERS_TO_TARGET]!.waiting!.missingKeys).toEqual(['V-LATE', 'V-NEVER']);
    // The watermark moved past the waiting orders: they are tracked in the waiting table, not by the watermark.
    expect(Date.parse(waiting.progress[ORDERS_TO_TARGET]!.watermark)).toBeGreaterThan(start.getTime() + 2 * HOUR);
    expect(s.partner.targetOrders.size).toBe(0);

    // The vendor arrives; the next poll syncs it first, then retries the waiting order.
    s.partner.source.set('V-LATE', { key: 'V-LATE', updatedAt: new Date().toISOString(), name: 'Late vendor', amount: 0 });
    const polls = waiting.totals.polls;
    await handle.signal('pollNow');
    const after = await eventually(async () => {
      const st = await s.status();
      return st.totals.polls > polls && st.state === 'idle' && st;
    }, 60_000, 'the poll after the vendor arrived');
    expect([...s.partner.targetOrders.values()].map((o) => o.externalKey)).toEqual(['O-late']);
    expect(after.progress[ORDERS_TO_TARGET]!.waiting).toEqual({ count: 1, missingKeys: ['V-NEVER'] });

    // A cycle is refused with the flows named; the run goes on.
    const refused = await handle.executeUpdate(updateConfigUpdate, { args: [{ flows: [{ ...flows[0]!, dependsOn: [ORDERS_TO_TARGET] }, flows[1]!] }] }).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(((refused as WorkflowUpdateFailedError).cause as Error).message).toBe(`flow dependencies form a cycle: ${VENDORS} -> ${ORDERS_TO_TARGET} -> ${VENDORS}; remove one of these dependsOn entries`);

    // No wait allowed any more: the next poll dead-letters the order, naming the missing vendor.
    await handle.executeUpdate(updateConfigUpdate, { args: [{ flows: [flows[0]!, { ...flows[1]!, waitForReferenceMs: 0 }] }] });
    await handle.signal('pollNow');
    const letter = await eventually(async () => {
      const { rows } = await suite.db.pool.query<{ record_key: string; error_code: string; error_message: string }>(`SELECT record_key, error_code, error_message FROM dead_letters WHERE connection_id = $1 AND status = 'open'`, [s.connectionId]);
      return rows.length > 0 && rows;
    }, 60_000, 'the dead letter');
    expect(letter).toEqual([{ record_key: 'O-never', error_code: 'MISSING_REFERENCE', error_message: expect.stringContaining('missing reference V-NEVER') }]);
    await eventually(async () => (await s.status()).progress[ORDERS_TO_TARGET]!.waiting === undefined && (await s.status()).progress[ORDERS_TO_TARGET]!.failed === 1, 60_000, 'status without waiting orders');
    expect(await count(`SELECT count(*)::int AS n FROM waiting_records WHERE connection_id = $1`, [s.connectionId])).toBe(0);
  });
});
