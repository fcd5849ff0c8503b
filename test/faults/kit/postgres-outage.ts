import { pollAndWait } from '../../pairs/pair-harness';
import { eventually } from '../../support/worker-process';
import { ApiProbe } from './api-probe';
import { type FixtureDeps, type PairFaultFixture } from './fault-fixture';
import { FaultRun } from './fault-run';
import { KillablePostgres } from './killable-postgres';
import { type ScenarioResult } from './result-table';
import { judge, type ScenarioSize } from './scenarios';

export interface OutageSize extends ScenarioSize {
  /** How many times PostgreSQL is SIGKILLed during the first sync (each at a further share of the records). */
  kills: number;
  /** How long it stays down each time before it is restarted on the same data directory. */
  downMs: number;
  /** Added to every partner answer while the kills are under way, so the sync is still writing when each lands. */
  latencyMs: number;
}

const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(0)} s`;

/**
 * R3: PostgreSQL is SIGKILLed mid-sync `kills` times and restarted on its data directory after `downMs` each time. A
 * server of the scenario's own (KillablePostgres), never the run's shared one: the pair's connection, the worker and
 * an API all use it. While it is down and coming back, an API probe asks readiness, the connection, its status and its
 * dead letters: 503 with the error shape and Retry-After, never another 5xx, never a hang. Afterwards the workflow
 * must have carried on by itself (no dead letter, no failed run), poll again on request, and the state be exact.
 */
export async function postgresOutage(fixture: PairFaultFixture, deps: FixtureDeps, size: OutageSize): Promise<ScenarioResult> {
  const pg = new KillablePostgres();
  const probe = new ApiProbe();
  let run: FaultRun | undefined;
  const began = Date.now();
  const phases: string[] = [];
  let phase = began;
  const lap = (what: string) => {
    phases.push(`${what} ${((Date.now() - phase) / 1000).toFixed(0)} s`);
    phase = Date.now();
  };
  try {
    await pg.start();
    run = new FaultRun(fixture, { ...deps, pool: pg.pool });
    const world = await run.open(size.records);
    const total = (await world.expected()).length;
    await probe.start({ databaseUrl: pg.url, client: deps.client, taskQueue: run.taskQueue, masterKey: deps.masterKey, connectionId: world.connectionId });
    for (const sim of Object.values(world.simulators)) await sim.setFaults({ latencyMs: size.latencyMs });
    await run.startWorker();
    await run.startWorkflow();
    lap('setup');

    const at: number[] = [];
    const outages: string[] = [];
    let before = 0;
    for (let k = 1; k <= size.kills; k++) {
      // Kill k lands once k/(kills+1) of the records are written, and after the previous restart wrote again.
      const point = Math.floor((total * k) / (size.kills + 1));
      const linked = await eventually(async () => {
        const n = await run!.linkedCount();
        return (n >= point && n > before) || n >= total ? n : false;
      }, size.settleMs, `record ${point} of ${total} written before PostgreSQL kill ${k}`);
      if (linked >= total) break;
      lap(`to kill ${k}`);
      probe.begin();
      const down = Date.now();
      await pg.kill();
      at.push(linked);
      await new Promise((r) => setTimeout(r, size.downMs));
      await pg.restart();
      const restarted = Date.now();
      // The probe goes on until the API answers the connection's status again.
      await eventually(async () => (await probe.get(`/v1/connections/${encodeURIComponent(world.connectionId)}/status`)).status === 200, 60_000, 'the API answering status after the restart');
      await probe.stop();
      outages.push(`down ${((restarted - down) / 1000).toFixed(0)} s, API back ${seconds(restarted)} after the restart`);
      before = await run.linkedCount();
      lap(`outage ${k}`);
    }
    for (const sim of Object.values(world.simulators)) await sim.setFaults({});
    await run.settle(total, size.settleMs);
    lap('to the last record');

    // Not stuck anywhere: the same run goes on (never failed or restarted by hand), and a new poll runs and finishes.
    const description = await run.handle!.describe();
    const again = await pollAndWait(run.handle!, size.settleMs);
    const statusAnswer = await probe.get(`/v1/connections/${encodeURIComponent(world.connectionId)}/status`);
    lap('a new poll');
    const flowErrors = Object.entries(again.progress).filter(([, p]) => p.lastError).map(([flow, p]) => `${flow}: ${p.lastError}`);

    const result = judge('R3 PostgreSQL SIGKILL', fixture.pairId, pg.kills, await run.finalState(), { deadLettersAllowed: false });
    const c = probe.counts;
    if (pg.kills < size.kills) result.failures.push(`only ${pg.kills} of ${size.kills} kills landed before the sync finished`);
    if (description.status.name !== 'RUNNING') result.failures.push(`workflow ${description.status.name} after the outages, not RUNNING`);
    if (statusAnswer.status !== 200) result.failures.push(`status answered ${statusAnswer.status} after the outages`);
    if (flowErrors.length) result.failures.push(`flows still in error after a new poll: ${flowErrors.join('; ')}`);
    if (c.unavailable === 0) result.failures.push('the API never answered 503 while PostgreSQL was down');
    if (c.other5xx + c.unexpected4xx + c.badShape + c.hung > 0) result.failures.push(`API during the outages: ${c.failures.join(' | ')}`);
    result.pass = result.failures.length === 0;
    result.notes.push(
      `${pg.kills} kills at ${at.join('/')} records written (${outages.join('; ')}); API probe ${c.requests} requests: ${c.unavailable} x 503, ${c.ok} x 2xx, ${c.other5xx} other 5xx, ${c.unexpected4xx} 4xx, ${c.hung} hung, slowest ${c.maxMs} ms; ${seconds(began)} (${phases.join(', ')})`,
    );
    return result;
  } finally {
    await probe.close();
    await run?.close();
    await pg.stop();
  }
}
