import { seededRandom } from '../../../simulators/kit/faults';
import { eventually } from '../../support/worker-process';
import { isExact } from './compare-state';
import { type FaultWorld, type FixtureDeps, type PairFaultFixture, type StormSettings } from './fault-fixture';
import { FaultRun, type FinalState } from './fault-run';
import { type ScenarioResult } from './result-table';

/** Sizes of one scenario run: the short versions in `npm test`, the full ones in `npm run test:faults`. */
export interface ScenarioSize {
  records: number;
  /** How long the sync may take to settle after the last fault. */
  settleMs: number;
  seed: number;
}
export interface KillSize extends ScenarioSize {
  kills: number;
  /**
   * Added to every partner answer while the kills are under way (100 ms unless set). Links are written in batches as
   * creates complete, so a fast partner can finish a small sync in one batch, before any kill point is seen; a little
   * latency keeps creates in flight long enough for each kill to land mid-write.
   */
  latencyMs?: number;
}
export interface StormSize extends ScenarioSize {
  /** Added to every partner request; PeopleSoft (few, large reads) can take more than the per-record writer. */
  latencyMs: Record<string, number>;
  /**
   * 429s answered in a row at the storm's start, per simulator. Each one costs the poll an attempt (it waits
   * Retry-After), so a long burst on the source alone would use up the storm before the target sees a request.
   */
  burst429: Record<string, number>;
  /**
   * How long the storm lasts at least from the workflow's start (longer, up to 4 x, until a 5xx was injected); then
   * the partners answer normally again (storms end).
   */
  stormMs: number;
}
export interface PermanentSize extends ScenarioSize {
  share: number;
}

const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(0)} s`;

/** The checks every scenario ends with: the partner's state record by record, dead letters and audit rows. */
export function judge(scenario: string, pair: string, runs: number, final: FinalState, opts: { deadLettersAllowed: boolean }): ScenarioResult {
  const c = final.comparison;
  const failures: string[] = [];
  const few = (list: string[]) => `${list.length} (${list.slice(0, 5).join(', ')}${list.length > 5 ? ', ...' : ''})`;
  if (c.duplicates.length) failures.push(`duplicates ${few(c.duplicates)}`);
  if (c.missing.length) failures.push(`missing ${few(c.missing)}`);
  if (c.unexpected.length) failures.push(`unexpected on the target ${few(c.unexpected)}`);
  if (c.wrong.length) failures.push(`wrong fields ${few(c.wrong)}`);
  if (c.unlinked.length) failures.push(`links not matching the target ${few(c.unlinked)}`);
  if (c.syncedAndDeadLettered.length) failures.push(`synced and dead-lettered ${few(c.syncedAndDeadLettered)}`);
  if (final.auditGaps.length) failures.push(`audit gaps ${few(final.auditGaps)}`);
  if (!opts.deadLettersAllowed && c.deadLettered > 0) failures.push(`dead letters ${few([...final.deadLetters].map(([k, d]) => `${k} ${d.errorCode}`))}`);
  if (c.synced + c.deadLettered !== c.checked) failures.push(`${c.checked} records, ${c.synced} synced + ${c.deadLettered} dead-lettered`);
  if (!isExact(c) && failures.length === 0) failures.push('state not exact');
  return { scenario, pair, runs, recordsChecked: c.checked, duplicates: c.duplicates.length, missing: c.missing.length, partner5xx: 0, pass: failures.length === 0, notes: [], failures };
}

/**
 * R1's recovery waits. A killed attempt is retried once the server misses its heartbeat (20 s in production), and
 * the new attempt first waits out any partner call the old one may still have in flight (heartbeat timeout + two
 * lease ticks + the call timeout, 30 s in production): about 55 s a kill, 20 kills alone longer than the suite's 25
 * minutes. The suite's simulators answer within a second, so its workers bound calls that may write by a 10 s call
 * timeout (reads keep theirs: a read in flight changes nothing) and its workflow uses a 10 s heartbeat timeout (6 s
 * saw live attempts time out on the loaded 2-core machine: correct, a newer attempt took over, but slower): the
 * same fence, the same argument (every worker of the run shares both), ~25 s a kill.
 */
export const R1_RECOVERY = { heartbeatTimeout: '10 seconds', callTimeoutMs: 10_000 };

async function withRun(fixture: PairFaultFixture, deps: FixtureDeps, records: number, body: (run: FaultRun, world: FaultWorld) => Promise<ScenarioResult>, recovery?: FaultRun['recovery']): Promise<ScenarioResult> {
  const run = new FaultRun(fixture, deps);
  run.recovery = recovery;
  try {
    const world = await run.open(records);
    return await body(run, world);
  } finally {
    await run.close();
  }
}

/**
 * R1: the worker is SIGKILLed at `kills` random points of a first sync (seeded, so a failure repeats) and restarted
 * each time. A point is only taken once the restarted worker has written again, so every kill lands mid-write.
 */
export function workerKills(fixture: PairFaultFixture, deps: FixtureDeps, size: KillSize): Promise<ScenarioResult> {
  return withRun(fixture, deps, size.records, async (run, world) => {
    const began = Date.now();
    const total = (await world.expected()).length;
    const random = seededRandom(size.seed);
    const points = Array.from({ length: size.kills }, () => Math.floor(total * (0.05 + 0.9 * random()))).sort((a, b) => a - b);
    for (const sim of Object.values(world.simulators)) await sim.setFaults({ latencyMs: size.latencyMs ?? 100 });
    await run.startWorker();
    await run.startWorkflow();
    let sinceRestart = 0;
    const at: number[] = [];
    // Per kill: how long the new process took to start, and from then until the sync wrote again (heartbeat timeout,
    // the fence's wait for the killed attempt's calls, re-reading the window): what R1's run time is made of.
    const restartS: number[] = [];
    const resumedS: number[] = [];
    let restartedAt = 0;
    for (const point of points) {
      let resumed = 0;
      const linked = await eventually(async () => {
        const n = await run.linkedCount();
        if (!resumed && n > sinceRestart) resumed = Date.now();
        return (n >= point && n > sinceRestart) || n >= total ? n : false;
      }, size.settleMs, `record ${point} of ${total} written before kill ${at.length + 1}`);
      // Not resumed: every record was written before the restarted worker wrote one (nothing to time).
      if (restartedAt && resumed) resumedS.push(Math.round((resumed - restartedAt) / 1000));
      if (linked >= total) break;
      const killAt = Date.now();
      await run.killAndRestartWorker();
      restartedAt = Date.now();
      restartS.push(Math.round((restartedAt - killAt) / 1000));
      at.push(linked);
      sinceRestart = await run.linkedCount();
    }
    if (restartS.length > resumedS.length) {
      // The last kill's recovery: until the sync wrote again (or had nothing left to write).
      await eventually(async () => { const n = await run.linkedCount(); return n > sinceRestart || n >= total; }, size.settleMs, `the sync writing again after kill ${run.kills}`);
      resumedS.push(Math.round((Date.now() - restartedAt) / 1000));
    }
    for (const sim of Object.values(world.simulators)) await sim.setFaults({});
    await run.settle(total, size.settleMs);
    const result = judge('R1 worker SIGKILL', fixture.pairId, run.kills, await run.finalState(), { deadLettersAllowed: false });
    if (run.kills < size.kills) result.failures.push(`only ${run.kills} of ${size.kills} kills landed before the sync finished`);
    // The shorter recovery must be the one the server applied (the workflow's input carried it to every activity).
    const scheduled = ((await run.handle!.fetchHistory()).events ?? []).flatMap((e) => (e.activityTaskScheduledEventAttributes ? [e.activityTaskScheduledEventAttributes] : []));
    const applied = new Set(scheduled.map((a) => Number(a.heartbeatTimeout?.seconds ?? 0)));
    if (scheduled.length === 0 || applied.size !== 1 || !applied.has(Number.parseInt(R1_RECOVERY.heartbeatTimeout, 10))) result.failures.push(`activities scheduled with heartbeat timeouts ${[...applied].join(', ')} s, not ${R1_RECOVERY.heartbeatTimeout}`);
    // A crashed poll is retried at once (workflows/sync-activities.ts POLL_CRASH_RETRY), not after a backoff grown by every kill and idle poll.
    const pollBackoff = new Set(scheduled.filter((a) => a.activityType?.name === 'pollFlows').map((a) => a.retryPolicy?.backoffCoefficient));
    if (pollBackoff.size !== 1 || !pollBackoff.has(1)) result.failures.push(`pollFlows scheduled with backoff coefficients ${[...pollBackoff].join(', ')}, not a constant 1 s retry`);
    result.pass = result.failures.length === 0;
    result.notes.push(`${run.kills} kills at ${at.join('/')} records written, seed ${size.seed}, heartbeat timeout ${R1_RECOVERY.heartbeatTimeout}, call timeout ${R1_RECOVERY.callTimeoutMs / 1000} s, ${seconds(began)}`);
    result.notes.push(`per kill, s: new worker process started ${restartS.join('/')}; then wrote again after ${resumedS.join('/')}`);
    return result;
  }, R1_RECOVERY);
}

/** Answers after the first `burst` 429s (the injected burst): their 429 share, and the busiest minute's request count. */
function rateFigures(answers: Array<{ atMs: number; status: number | null }>, burst: number): { share429: number; after: number; perMinute: number } {
  let seen = 0;
  let start = 0;
  while (start < answers.length && seen < burst) if (answers[start++]!.status === 429) seen += 1;
  const after = answers.slice(start).filter((a) => a.status !== null);
  const share429 = after.length === 0 ? 0 : after.filter((a) => a.status === 429).length / after.length;
  const times = answers.map((a) => a.atMs).sort((a, b) => a - b);
  let perMinute = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= 60_000) j += 1;
    perMinute = Math.max(perMinute, i - j + 1);
  }
  return { share429, after: after.length, perMinute };
}

/**
 * R4: every simulator of the pair storms during the first sync (20% 5xx, a 429 burst, latency, dropped connections,
 * 2% of answers cut short: the full Content-Length promised, half the body sent, the socket closed)
 * for `stormMs`, then calms down. The final state must be exact with no dead letter; after the first burst at most 1%
 * of answers are 429; how far the sync got during the storm is reported (the engine's pace under a storm).
 */
export function partnerStorms(fixture: PairFaultFixture, deps: FixtureDeps, size: StormSize): Promise<ScenarioResult> {
  return withRun(fixture, deps, size.records, async (run, world) => {
    const began = Date.now();
    const total = (await world.expected()).length;
    for (const [name, sim] of Object.entries(world.simulators)) {
      const storm: StormSettings = { errorRate: 0.2, errorStatus: 503, dropRate: 0.02, truncateRate: 0.02, latencyMs: size.latencyMs[name] ?? 0, burst429: { count: size.burst429[name] ?? 0, retryAfterSeconds: 1 }, seed: size.seed };
      await sim.setFaults(storm);
    }
    await run.startWorker();
    await run.startWorkflow();
    await new Promise((r) => setTimeout(r, size.stormMs));
    // On a loaded machine the first reads can take the whole storm: it goes on (up to 4 x stormMs) until a 5xx landed.
    const sims = Object.values(world.simulators);
    await eventually(async () => (await Promise.all(sims.map((sim) => sim.injected()))).some((i) => i.errors > 0), 3 * size.stormMs, 'a 5xx injected by the storm').catch(() => undefined);
    const stormSeconds = Math.round((Date.now() - began) / 1000);
    const duringStorm = await run.linkedCount();
    for (const sim of Object.values(world.simulators)) await sim.setFaults({});
    const calm = Date.now();
    await run.settle(total, size.settleMs);
    const result = judge('R4 partner storms', fixture.pairId, 1, await run.finalState(), { deadLettersAllowed: false });
    let truncations = 0;
    result.notes.push(`${duringStorm} of ${total} records written during the ${stormSeconds} s storm, the rest ${seconds(calm)} after it`);
    for (const [name, sim] of Object.entries(world.simulators)) {
      const injected = await sim.injected();
      result.partner5xx += injected.errors;
      truncations += injected.truncations ?? 0;
      result.notes.push(`${name}: ${injected.errors} 5xx, ${injected.drops} resets, ${injected.truncations ?? 0} truncated bodies, ${injected.tooManyRequests} 429 injected`);
      if (!sim.answers) continue;
      const figures = rateFigures(await sim.answers(), injected.tooManyRequests);
      result.notes.push(`${name}: ${(figures.share429 * 100).toFixed(2)}% 429 of ${figures.after} answers after the first burst, busiest minute ${figures.perMinute} requests`);
      if (figures.share429 > 0.01) result.failures.push(`${name}: ${(figures.share429 * 100).toFixed(2)}% 429 after the first burst (at most 1%)`);
    }
    if (result.partner5xx === 0) result.failures.push('the storm injected no 5xx: nothing was tested');
    if (truncations === 0) result.notes.push('no answer was cut short at this size (2% of answers; the full size cuts some)');
    result.notes.push(`latency ${JSON.stringify(size.latencyMs)} ms, ${seconds(began)}`);
    result.pass = result.failures.length === 0;
    return result;
  });
}

/**
 * R5: about `share` of the records are refused by the partner for good (a 4xx). Exactly those end in dead letters
 * with the partner's raw answer; once the operator fixes the data, replay-all makes the state exact.
 */
export function permanentRefusals(fixture: PairFaultFixture, deps: FixtureDeps, size: PermanentSize): Promise<ScenarioResult> {
  return withRun(fixture, deps, size.records, async (run, world) => {
    const began = Date.now();
    const broken = await world.breakRecords(size.share);
    const total = (await world.expected()).length;
    await run.startWorker();
    await run.startWorkflow();
    await run.settle(total, size.settleMs);
    const first = await run.finalState();
    const failures: string[] = [];
    const dead = [...first.deadLetters.keys()].sort();
    if (broken.keys.length === 0) failures.push('no record was broken: the scenario proves nothing at this size');
    if (JSON.stringify(dead) !== JSON.stringify([...broken.keys].sort())) failures.push(`dead letters ${dead.length} (${dead.slice(0, 5).join(', ')}) are not exactly the ${broken.keys.length} refused records`);
    for (const [key, d] of first.deadLetters) if (!d.rawResponse || !broken.rawAnswer.test(d.rawResponse)) failures.push(`${key}: dead letter without the partner's raw answer (${d.rawResponse ?? 'none'})`);
    const before = judge('R5', fixture.pairId, 1, first, { deadLettersAllowed: true });
    failures.push(...before.failures.map((f) => `before replay: ${f}`));

    await world.fixRecords();
    const replay = await run.replayAll();
    await eventually(async () => (await run.openDeadLetterCount()) === 0 && (await run.status()).state === 'idle', size.settleMs, 'replay-all to resolve every dead letter').catch(
      (err: unknown) => void failures.push(`after replay ${JSON.stringify(replay)}: ${err instanceof Error ? err.message : String(err)}`),
    );
    const after = await run.finalState();
    for (const [key, d] of after.deadLetters) failures.push(`still dead-lettered after the fix and replay: ${key} ${d.errorCode} ${d.rawResponse?.slice(0, 200) ?? ''}`);
    const result = judge('R5 permanent 4xx + replay-all', fixture.pairId, 2, after, { deadLettersAllowed: false });
    result.failures.unshift(...failures);
    result.notes.push(`${broken.keys.length} of ${total} refused (${(size.share * 100).toFixed(0)}%), replay ${JSON.stringify(replay)}, ${seconds(began)}`);
    result.pass = result.failures.length === 0;
    return result;
  });
}
