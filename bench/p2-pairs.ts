/**
 * P2 for every listed pair: billable actions per synced record of a first sync of the pair's main flow, with the
 * pair's own fault fixture (pairs/<pair>/fault-fixture.ts: its simulators, N seeded source records, its connection;
 * the same fixtures the fault suite checks record by record). Actions are counted from the workflow's histories.
 */
import { statusQuery } from '../core/sync-messages';
import { syncStartOptions } from '../core/sync-start';
import { getConnection } from '../db/connections';
import { pairOf, syncInputFor } from '../pairs/derive';
import { pairs } from '../pairs';
import { discoverFixtures } from '../test/faults/kit/discover-fixtures';
import { randomTaskQueue, startWorker, until, workflowActions, type Services } from './harness';

/** Issue 20's goal, at 10k records per pair. */
export const P2_TARGET = 0.001;

export interface PairSync {
  pair: string;
  records: number;
  /** Source records the fixture expects on the target (a fixture may round `records` to its object mix). */
  expected: number;
  linked: number;
  deadLettered: number;
  seconds: number;
  actions: number;
  actionsPerRecord: number;
  byKind: Record<string, number>;
}

export async function runP2Pairs(services: Services, n: number, log: (l: string) => void): Promise<PairSync[]> {
  const { found, missing } = discoverFixtures(pairs.map((p) => p.id));
  for (const m of missing) log(`P2: ${m.problem}`);
  const out: PairSync[] = [];
  for (const fixture of found) {
    log(`P2: ${fixture.pairId}, first sync of ${n} records`);
    out.push(await pairFirstSync(services, fixture, n));
    const last = out[out.length - 1]!;
    log(`P2: ${fixture.pairId}: ${last.actions} actions for ${last.linked} records (${last.actionsPerRecord.toPrecision(2)}/record), ${last.seconds.toFixed(0)} s`);
  }
  return out;
}

async function pairFirstSync(services: Services, fixture: ReturnType<typeof discoverFixtures>['found'][number], n: number): Promise<PairSync> {
  const { pool, url } = await services.database(`p2${fixture.pairId}`);
  const taskQueue = randomTaskQueue(`p2-${fixture.pairId}`);
  const worker = await startWorker(services, { taskQueue, databaseUrl: url, masterKey: services.masterKey });
  const world = await fixture.open({ pool, client: services.client, masterKey: services.masterKey }, { records: n });
  try {
    const expected = (await world.expected()).length;
    const connection = (await getConnection(pool, world.connectionId))!;
    const began = Date.now();
    const handle = await services.client.workflow.start(pairOf(fixture.pairId).workflowType, syncStartOptions(syncInputFor(connection), taskQueue));
    const count = async (sql: string) => (await pool.query<{ n: number }>(sql, [world.connectionId])).rows[0]!.n;
    const linked = () => count(`SELECT count(*)::int AS n FROM record_links WHERE connection_id = $1 AND state = 'linked'`);
    const deadLettered = () => count(`SELECT count(*)::int AS n FROM dead_letters WHERE connection_id = $1 AND status = 'open'`);
    // Done when the first poll has returned, the workflow is idle and every expected record is linked or dead-lettered
    // (a pair's main flow may need catch-up windows after the first poll, which the workflow runs before idling).
    await until(
      async () => {
        const s = await handle.query(statusQuery);
        return s.totals.polls >= 1 && s.state === 'idle' && (await linked()) + (await deadLettered()) >= expected;
      },
      60 * 60_000,
      `first sync of ${fixture.pairId}`,
    );
    const seconds = (Date.now() - began) / 1000;
    const actions = await workflowActions(services.client, handle.workflowId);
    await handle.terminate('benchmark finished');
    const synced = await linked();
    return {
      pair: fixture.pairId,
      records: n,
      expected,
      linked: synced,
      deadLettered: await deadLettered(),
      seconds,
      actions: actions.total,
      actionsPerRecord: actions.total / Math.max(1, synced),
      byKind: actions.byKind,
    };
  } finally {
    await world.close();
    await worker.stop();
  }
}
