import { countOpenDeadLetters } from '../../db/dead-letters';
import { eventually } from '../support/worker-process';
import { OutageWorld, type LeaseLogLine } from './outage-harness';

const DAY = 86_400_000;
/** The sync activities' heartbeat timeout (workflows/sync-activities.ts). */
const HEARTBEAT_TIMEOUT_MS = 20_000;
const OUTAGE_MS = 1.5 * HEARTBEAT_TIMEOUT_MS;
const OUTAGES = 5;
const RECORDS = 5_000;
/** 5,000 records over 10 days in 2-day windows: 1,000 records per window, one outage in each of the first five. */
const WINDOW_RECORDS = 1_000;
/** The partner's pace: 8 lanes x 1 create per 120 ms, so an outage starts and ends inside one window. */
const CREATE_MS = 120;
/** Restarted this long after the kill; it answers again a second or so later. */
const RESTART_AFTER_MS = OUTAGE_MS;
/**
 * From this far into an outage the partner answers creates late (a slow partner): they are still in flight when the
 * server, back, starts the next attempt. Capped below the partner call timeout (30 s), as a partner that answers at
 * all answers within it.
 */
const SLOW_AFTER_MS = 12_000;
const SLOW_CAP_MS = 28_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('exactly once while Temporal is down (killed, restarted on its SQLite file) for 1.5x the heartbeat timeout, five times in a 5,000-record sync', () => {
  const world = new OutageWorld();
  afterAll(async () => {
    await world.stop();
  });

  it('leaves every record created once and linked, the stale attempts fenced out and the newer ones recovering their creates', async () => {
    const began = Date.now();
    const start = new Date(Date.now() - 11 * DAY);
    world.partner.seed(RECORDS, start, 10 * DAY);
    let slow: Promise<void> | undefined;
    world.partner.onCreate = async (n) => {
      const answerAfter = slow;
      if (!answerAfter) return void (await sleep(CREATE_MS));
      // Still in flight: the partner commits the create only when it answers, so a search by external key does not
      // find it before (the case the wait after taking the lease exists for).
      const entry = world.partner.entries.get(`E${n}`)!;
      world.partner.entries.delete(entry.id);
      await Promise.race([answerAfter, sleep(SLOW_CAP_MS)]);
      world.partner.entries.set(entry.id, entry);
    };
    await world.start({ overlapMs: 60_000, maxWindowMs: 2 * DAY, initialFrom: start.toISOString() });

    const cycles: Array<{ outage: number; createsAtStart: number; unreachableMs: number; takenOver: boolean; fenceBefore: number; fenceAfter: number }> = [];
    for (let i = 0; i < OUTAGES; i++) {
      await eventually(async () => world.partner.creates >= i * WINDOW_RECORDS + 100, 600_000, `window ${i} being written`);
      const createsAtStart = world.partner.creates;
      const fenceBefore = await world.fence();
      const down = Date.now();
      await world.crashTemporal();
      await sleep(SLOW_AFTER_MS - (Date.now() - down));
      let answer!: () => void;
      slow = new Promise<void>((resolve) => (answer = resolve));
      await sleep(RESTART_AFTER_MS - (Date.now() - down));
      await world.restartTemporal();
      const unreachableMs = Date.now() - down;
      const answerNow = answer;
      slow = undefined;
      // The hanging creates are answered once a newer attempt took the connection (or at the cap).
      const takenOver = await eventually(async () => (await world.fence()) > fenceBefore, Math.max(1_000, down + SLOW_AFTER_MS + SLOW_CAP_MS - 1_000 - Date.now()), 'a newer attempt taking the lease').then(
        () => true,
        () => false,
      );
      await sleep(1_000);
      answerNow();
      cycles.push({ outage: i + 1, createsAtStart, unreachableMs, takenOver, fenceBefore, fenceAfter: await world.fence() });
    }

    await eventually(
      async () => world.partner.entries.size === RECORDS && (await world.linkedKeys()).size === RECORDS && (await world.status()).state === 'idle',
      900_000,
      'all 5,000 records created and linked',
    );

    // Exact final state: each source record once on the target, with its data, linked, nothing dead-lettered.
    expect(world.partner.duplicates()).toEqual([]);
    expect(world.partner.creates).toBe(RECORDS);
    const wrong = [...world.partner.entries.values()].filter((e) => {
      const row = world.partner.source.get(e.externalKey);
      return !row || row.name !== e.name || row.amount !== e.amount;
    });
    expect(wrong).toEqual([]);
    expect(await countOpenDeadLetters(world.db.pool, world.connectionId)).toBe(0);
    const status = await world.status();
    const progress = status.progress['test-records-to-entries']!;
    expect(progress.lastError).toBeUndefined();
    expect(Date.parse(progress.watermark)).toBeGreaterThanOrEqual(Math.max(...[...world.partner.source.values()].map((r) => Date.parse(r.updatedAt))));

    // Every overlap: a newer attempt took the lease from one that had not released it; that one was fenced out.
    const log = world.leaseLog();
    const overlaps = log.filter((l) => l.event === 'lease-overlap');
    const lost = log.filter((l) => l.event === 'lease-lost');
    const recovered = await world.recoveredLinks();
    const report = overlaps.map((o, i) => {
      const stale = lost.find((l) => l.activityId === o.previous?.activityId && l.attempt === o.previous?.attempt);
      const until = overlaps[i + 1]?.time ?? Infinity;
      return {
        newer: `activity ${o.activityId} attempt ${o.attempt}`,
        stale: `activity ${o.previous?.activityId} attempt ${o.previous?.attempt}`,
        waitedMs: o.waitMs,
        staleWritesRefused: stale?.refusedWrites ?? 0,
        staleSendsBlocked: stale?.blockedSends ?? 0,
        staleStopReason: stale?.reason,
        recoveredByExternalKey: recovered.filter((r) => r.at >= o.time && r.at < until).length,
      };
    });
    expect(overlaps.length).toBeGreaterThan(0);
    for (const o of overlaps) expect(lost.some((l: LeaseLogLine) => l.activityId === o.previous?.activityId && l.attempt === o.previous?.attempt)).toBe(true);

    const seconds = ((Date.now() - began) / 1000).toFixed(0);
    process.stdout.write(
      `[measure] temporal killed x${OUTAGES} (down ${cycles.map((c) => (c.unreachableMs / 1000).toFixed(1)).join('/')} s): ${RECORDS}/${RECORDS} records, 0 duplicates, ${overlaps.length} overlapping attempts, ` +
        `${lost.length} attempts stopped (${lost.filter((l) => l.reason?.startsWith('Temporal unreachable')).length} on their own after the heartbeat timeout), ` +
        `${recovered.length} creates recovered by external key, ${seconds} s\n`,
    );
    process.stdout.write(`[measure] cycles ${JSON.stringify(cycles)}\n`);
    for (const r of report) process.stdout.write(`[measure] overlap ${JSON.stringify(r)}\n`);
  });
});
