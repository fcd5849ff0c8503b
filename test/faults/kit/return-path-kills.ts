import { createApp } from '../../../api/app';
import { listen, type Listening } from '../../../core/listen';
import { createLogger } from '../../../core/logger';
import { seededRandom } from '../../../simulators/kit/faults';
import { pollAndWait } from '../../pairs/pair-harness';
import { eventually } from '../../support/worker-process';
import { compareState } from './compare-state';
import { type FixtureDeps, type PairFaultFixture, type ReturnPathSurface } from './fault-fixture';
import { FaultRun } from './fault-run';
import { type ScenarioResult } from './result-table';
import { judge, R1_RECOVERY, type ScenarioSize } from './scenarios';

export interface ReturnKillSize extends ScenarioSize {
  /** Decisions made on the partner's side, in `batches` batches, each once the return path has caught up with half the last. */
  decisions: number;
  batches: number;
  kills: number;
  /** Added to every partner answer while the decisions are written (100 ms unless set), so each kill lands mid-write. */
  latencyMs?: number;
}

export const RETURN_KILLS_ROW = 'R1 SIGKILL on return path';

const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(0)} s`;

/** Return-path writes so far, of every key (a write to a key nobody decided is counted too, and reported). */
async function writesSoFar(rp: ReturnPathSurface): Promise<number> {
  let n = 0;
  for (const c of (await rp.writeCounts()).values()) n += c;
  return n;
}

/** `total` split into `batches` near-equal parts, none empty. */
function batchSizes(total: number, batches: number): number[] {
  const count = Math.max(1, Math.min(batches, total));
  return Array.from({ length: count }, (_, i) => Math.floor((total * (i + 1)) / count) - Math.floor((total * i) / count));
}

/**
 * R1's second half: the worker is SIGKILLed at `kills` seeded random points while webhook-driven return-path writes
 * are under way, and restarted each time. The world is synced first (no kill), then the partner's webhooks point at
 * an API of the scenario's own (api/app.ts, as in production); decisions are made on the partner's side in batches,
 * its deliveries reach the API, which signals the workflow whether or not a worker is alive (the signal waits in the
 * workflow's history). A kill point is only taken once the restarted worker has written again. Judged: the written
 * side exact for every decided record, each written exactly once (the return path reads before it writes, so a
 * retried attempt after a kill finds the decision applied and writes nothing), no write to an undecided record, no
 * dead letter, every kill landed.
 */
export async function returnPathKills(fixture: PairFaultFixture, deps: FixtureDeps, size: ReturnKillSize): Promise<ScenarioResult> {
  const run = new FaultRun(fixture, deps);
  run.recovery = R1_RECOVERY;
  let api: Listening | undefined;
  try {
    const began = Date.now();
    const world = await run.open(size.records);
    if (!world.returnPath) throw new Error(`${fixture.pairId}: the fixture declares a return path but its world has no returnPath`);
    api = await listen(createApp({ pool: deps.pool, temporal: deps.client, logger: createLogger('silent', 'api'), taskQueue: run.taskQueue, masterKey: deps.masterKey }));
    await run.startWorker();
    await run.startWorkflow();
    const total = (await world.expected()).length;
    await run.settle(total, size.settleMs);
    const synced = Date.now();

    const rp = await world.returnPath(api.baseUrl);
    // An asked-for poll runs the pair's housekeeping, which registers the webhooks a pair registers itself.
    await pollAndWait(run.handle!, size.settleMs);
    await eventually(() => rp.live(), 60_000, `${fixture.pairId}'s webhooks live at the API`);
    for (const sim of Object.values(world.simulators)) await sim.setFaults({ latencyMs: size.latencyMs ?? 100 });

    const random = seededRandom(size.seed);
    const points = Array.from({ length: size.kills }, () => Math.max(1, Math.floor(size.decisions * (0.05 + 0.9 * random())))).sort((a, b) => a - b);
    const decidedKeys: string[] = [];
    let deciderError: unknown;
    const decider = (async () => {
      let last = 0;
      for (const n of batchSizes(size.decisions, size.batches)) {
        const due = decidedKeys.length - Math.floor(last / 2);
        if (last > 0) await eventually(async () => (await writesSoFar(rp)) >= due, size.settleMs, `half of decision batch ${decidedKeys.length} written`);
        decidedKeys.push(...(await rp.decide(n)));
        last = n;
      }
    })().catch((err: unknown) => void (deciderError = err));

    const at: number[] = [];
    const resumedS: number[] = [];
    let sinceRestart = 0;
    let restartedAt = 0;
    for (const point of points) {
      let resumed = 0;
      const written = await eventually(async () => {
        if (deciderError) throw deciderError;
        const n = await writesSoFar(rp);
        if (!resumed && n > sinceRestart) resumed = Date.now();
        return (n >= point && n > sinceRestart) || n >= size.decisions ? n : false;
      }, size.settleMs, `return write ${point} of ${size.decisions} before kill ${at.length + 1}`);
      // Not resumed: every decision was written before the restarted worker wrote one (nothing to time).
      if (restartedAt && resumed) resumedS.push(Math.round((resumed - restartedAt) / 1000));
      if (written >= size.decisions) break;
      await run.killAndRestartWorker();
      restartedAt = Date.now();
      at.push(written);
      sinceRestart = await writesSoFar(rp);
    }
    if (at.length > resumedS.length) {
      await eventually(async () => { const n = await writesSoFar(rp); return n > sinceRestart || n >= size.decisions; }, size.settleMs, `return writes again after kill ${run.kills}`);
      resumedS.push(Math.round((Date.now() - restartedAt) / 1000));
    }
    await decider;
    if (deciderError) throw deciderError;
    for (const sim of Object.values(world.simulators)) await sim.setFaults({});

    // Settled: every decision written at least once, the inbox empty and the sync idle.
    await eventually(async () => {
      const counts = await rp.writeCounts();
      if (!decidedKeys.every((k) => (counts.get(k) ?? 0) > 0)) return false;
      const s = await run.status();
      return s.inboxPending === 0 && s.state === 'idle';
    }, size.settleMs, `all ${decidedKeys.length} decisions written back and the inbox drained`).catch(() => undefined);

    const [expected, actual, counts] = [await rp.expected(), await rp.actual(), await rp.writeCounts()];
    const letters = await deps.pool.query<{ record_key: string; error_code: string | null; partner_status: number | null; raw_response: string | null }>(
      `SELECT record_key, error_code, partner_status, raw_response FROM dead_letters WHERE connection_id = $1 AND status = 'open'`,
      [run.connectionId],
    );
    const deadLetters = new Map(letters.rows.map((r) => [r.record_key, { errorCode: r.error_code, partnerStatus: r.partner_status, rawResponse: r.raw_response }]));
    // The written side is compared with itself for ids: a return-path write makes no record link of its own.
    const comparison = compareState(expected, actual, new Set(deadLetters.keys()), new Map(actual.map((a) => [a.key, a.targetId])));
    const result = judge(RETURN_KILLS_ROW, fixture.pairId, run.kills, { expected, comparison, deadLetters, auditGaps: [] }, { deadLettersAllowed: false });
    if (comparison.deadLettered === 0 && deadLetters.size > 0) result.failures.push(`dead letters ${[...deadLetters].slice(0, 5).map(([k, d]) => `${k} ${d.errorCode}`).join(', ')}`);

    // The decisions must have come by webhook (a poll would also find them): the deliveries the API verified and
    // signalled (webhook_deliveries; counted there, as a long run continues-as-new and its first run's history has only some).
    const signalled = await deps.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE connection_id = $1`, [run.connectionId]);
    const deliveries = signalled.rows[0]!.n;
    if (deliveries === 0) result.failures.push('no webhook delivery reached the workflow: the return path was not driven by webhooks');
    const decided = new Set(decidedKeys);
    const twice = [...counts].filter(([k, n]) => decided.has(k) && n > 1);
    const never = decidedKeys.filter((k) => !counts.get(k));
    const stray = [...counts.keys()].filter((k) => !decided.has(k));
    if (twice.length) result.failures.push(`written more than once: ${twice.length} (${twice.slice(0, 5).map(([k, n]) => `${k} x${n}`).join(', ')})`);
    if (never.length) result.failures.push(`decided, never written: ${never.length} (${never.slice(0, 5).join(', ')})`);
    if (stray.length) result.failures.push(`written without a decision: ${stray.length} (${stray.slice(0, 5).join(', ')})`);
    if (decidedKeys.length !== size.decisions) result.failures.push(`${decidedKeys.length} decisions made, ${size.decisions} asked for`);
    if (run.kills < size.kills) result.failures.push(`only ${run.kills} of ${size.kills} kills landed before the return writes finished`);
    result.duplicates += twice.length;
    result.missing += never.length;
    result.pass = result.failures.length === 0;
    result.notes.push(`${total} records synced in ${Math.round((synced - began) / 1000)} s; then ${decidedKeys.length} decisions in ${size.batches} batches, ${deliveries} webhook deliveries signalled -> ${rp.writes}`);
    result.notes.push(`${run.kills} kills at ${at.join('/')} return writes, seed ${size.seed}, heartbeat timeout ${R1_RECOVERY.heartbeatTimeout}, call timeout ${R1_RECOVERY.callTimeoutMs / 1000} s; wrote again after ${resumedS.join('/')} s; ${seconds(synced)} from the first sync's end, ${seconds(began)} in all`);
    return result;
  } finally {
    await run.close();
    await api?.close();
  }
}
