import { seededRandom } from '../../../simulators/kit/faults';
import { startProductWorker } from '../../pairs/pair-harness';
import { eventually } from '../../support/worker-process';
import { type FixtureDeps, type PairFaultFixture } from './fault-fixture';
import { FaultRun } from './fault-run';
import { OwnTemporal } from './own-temporal';
import { type ScenarioResult } from './result-table';
import { judge, type ScenarioSize } from './scenarios';

export interface TemporalKillSize extends ScenarioSize {
  /** Temporal SIGKILLs at seeded points of the first sync. */
  kills: number;
  /** How long the server stays dead before it is started again (its start adds a few seconds more). */
  downMs: number;
  /** Added to every partner answer while the kills are under way, so each kill lands mid-write (see KillSize). */
  latencyMs: number;
}

/** The suite's run with the worker on a Temporal server of its own, which the scenario kills. */
class OwnTemporalRun extends FaultRun {
  constructor(
    fixture: PairFaultFixture,
    deps: FixtureDeps,
    readonly temporal: OwnTemporal,
  ) {
    super(fixture, { ...deps, client: temporal.client });
  }

  override async startWorker(): Promise<void> {
    const temporal = { address: this.temporal.address, namespace: this.temporal.namespace };
    this.worker = await startProductWorker({ pool: this.deps.pool, taskQueue: this.taskQueue, masterKey: this.deps.masterKey, logLevel: this.logLevel, temporal });
    this.workerOutput.push(this.worker.output);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * R2: the Temporal dev server is SIGKILLed at `kills` seeded points of a first sync and started again on its SQLite
 * file (same port) after `downMs`. Nobody touches the sync: no signal, no new workflow, no worker restart. The one
 * worker process must reconnect by itself, the open run resume from the file, and the final state be exact. A point
 * is only taken once the sync has written again since the previous restart (it resumed, and the kill lands mid-write).
 */
export async function temporalKills(fixture: PairFaultFixture, deps: FixtureDeps, size: TemporalKillSize): Promise<ScenarioResult> {
  const temporal = new OwnTemporal();
  let run: OwnTemporalRun | undefined;
  try {
    await temporal.start();
    run = new OwnTemporalRun(fixture, deps, temporal);
    return await killDuringSync(run, temporal, size);
  } finally {
    await run?.close();
    await temporal.stop();
  }
}

async function killDuringSync(run: OwnTemporalRun, temporal: OwnTemporal, size: TemporalKillSize): Promise<ScenarioResult> {
  const began = Date.now();
  const world = await run.open(size.records);
  const total = (await world.expected()).length;
  const random = seededRandom(size.seed);
  const points = Array.from({ length: size.kills }, () => Math.floor(total * (0.05 + 0.85 * random()))).sort((a, b) => a - b);
  for (const sim of Object.values(world.simulators)) await sim.setFaults({ latencyMs: size.latencyMs });
  await run.startWorker();
  const worker = run.worker!;
  await run.startWorkflow();
  const at: number[] = [];
  const outages: number[] = [];
  let sinceRestart = 0;
  for (const point of points) {
    const linked = await eventually(async () => {
      const n = await run.linkedCount();
      return (n >= point && n > sinceRestart) || n >= total ? n : false;
    }, size.settleMs, `record ${point} of ${total} written before Temporal kill ${at.length + 1}`);
    if (linked >= total) break;
    const down = Date.now();
    await temporal.crash();
    at.push(linked);
    await sleep(size.downMs);
    await temporal.restart();
    outages.push(Date.now() - down);
    sinceRestart = await run.linkedCount();
  }
  for (const sim of Object.values(world.simulators)) await sim.setFaults({});
  await run.settle(total, size.settleMs);
  const result = judge('R2 Temporal SIGKILL', run.fixture.pairId, at.length, await run.finalState(), { deadLettersAllowed: false });
  if (at.length < size.kills) result.failures.push(`only ${at.length} of ${size.kills} Temporal kills landed before the sync finished`);
  // Resumed by themselves: the worker started before the first kill is the one that finished the sync.
  if (worker.child.exitCode !== null || worker.child.signalCode !== null || run.worker !== worker) result.failures.push('the worker process did not survive the Temporal restarts');
  const polls = (await run.status()).totals.polls;
  result.pass = result.failures.length === 0;
  result.notes.push(
    `${at.length} Temporal SIGKILLs at ${at.join('/')} records written, down ${outages.map((ms) => (ms / 1000).toFixed(1)).join('/')} s each (kill to answering again), ` +
      `one worker process throughout (pid ${worker.child.pid}), ${polls} poll(s), seed ${size.seed}, ${((Date.now() - began) / 1000).toFixed(0)} s`,
  );
  return result;
}
