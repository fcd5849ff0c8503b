import { createApp } from '../../../api/app';
import { createApiKey } from '../../../api/auth/create-api-key';
import { type PartnerOutage } from '../../../api/partner-outage';
import { renderStatusFrame, type StatusView } from '../../../cli/status-watch';
import { listen, type Listening } from '../../../core/listen';
import { createLogger } from '../../../core/logger';
import { eventually } from '../../support/worker-process';
import { type FixtureDeps, type PairFaultFixture } from './fault-fixture';
import { FaultRun } from './fault-run';
import { type ScenarioResult } from './result-table';
import { judge, type ScenarioSize } from './scenarios';

export interface OutageSize extends ScenarioSize {
  /** Real time the target partner stays down; its own clock moves `simulatedMs` meanwhile. */
  outageMs: number;
  /** The outage as the partner lives it: its clock jumps this far, in steps, while it is down (2 h). */
  simulatedMs: number;
  /** Added to every partner answer before the outage, so it starts mid-sync. */
  latencyMs: number;
}

/** The connection's status as `GET /v1/connections/:id/status` answers it (what `mlc connections status` prints). */
type Status = StatusView & { outage?: PartnerOutage };

/** One look at the status during the outage. */
interface Look {
  at: number;
  outage?: PartnerOutage;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const LOOK_EVERY_MS = 2_000;

/**
 * R12: once a tenth of a first sync is written, the pair's target partner goes down (every call answered 503) for
 * `outageMs` of real time, during which its own clock moves `simulatedMs` (2 h) in steps: from the partner's side
 * it was gone for two hours (tokens it issued before have expired when it is back). The engine's clock is real, so
 * its backoff (1 s doubling to the 2 min cap, core/transient-retry.ts) runs in real time. Nobody touches the sync.
 * Checked: the API's status shows the outage (since, failed attempts, last error, next retry) from the first failed
 * attempt until the partner is back, and no more once an attempt got through; the sync catches up by itself and the
 * final state is exact with no dead letter.
 */
export async function longOutage(fixture: PairFaultFixture, deps: FixtureDeps, size: OutageSize): Promise<ScenarioResult> {
  const run = new FaultRun(fixture, deps);
  let api: Listening | undefined;
  try {
    await run.open(size.records);
    api = await listen(createApp({ pool: deps.pool, temporal: deps.client, logger: createLogger('silent', 'api'), taskQueue: run.taskQueue, masterKey: deps.masterKey }));
    const key = (await createApiKey(deps.pool, { kind: 'admin' }, 'R12')).key;
    const statusUrl = `${api.baseUrl}/v1/connections/${run.connectionId}/status`;
    const status = async (): Promise<Status> => {
      const res = await fetch(statusUrl, { headers: { authorization: `Bearer ${key}` } });
      if (res.status !== 200) throw new Error(`GET status: HTTP ${res.status} ${await res.text()}`);
      return (await res.json()) as Status;
    };
    return await outageDuringSync(run, size, status);
  } finally {
    await run.close();
    await api?.close();
  }
}

async function outageDuringSync(run: FaultRun, size: OutageSize, status: () => Promise<Status>): Promise<ScenarioResult> {
  const began = Date.now();
  const world = run.world;
  const pair = run.fixture.pairId;
  // The partner the pair writes to: the second system of its id (peoplesoft-asana: Asana; procurify-peoplesoft: PeopleSoft).
  const targetName = pair.split('-').at(-1)!;
  const target = world.simulators[targetName];
  if (!target?.advanceClock) throw new Error(`${pair}: the fixture's simulator "${targetName}" has no advanceClock (FaultSurface), R12 cannot move its clock`);
  const total = (await world.expected()).length;
  for (const sim of Object.values(world.simulators)) await sim.setFaults({ latencyMs: size.latencyMs });
  await run.startWorker();
  await run.startWorkflow();
  const some = Math.max(1, Math.floor(total / 10));
  await eventually(async () => (await run.linkedCount()) >= some, size.settleMs, `${some} of ${total} records written before the outage`);

  await target.setFaults({ errorRate: 1, errorStatus: 503 });
  const down = Date.now();
  const linkedAtDown = await run.linkedCount();
  const looks: Look[] = [];
  let moved = 0;
  while (Date.now() - down < size.outageMs) {
    await sleep(LOOK_EVERY_MS);
    const due = Math.min(size.simulatedMs, Math.round((size.simulatedMs * (Date.now() - down)) / size.outageMs));
    await target.advanceClock(due - moved);
    moved = due;
    looks.push({ at: Date.now(), outage: (await status()).outage });
  }
  await target.advanceClock(size.simulatedMs - moved);
  const frameDuring = renderStatusFrame(run.connectionId, { at: Date.now(), status: await status() });
  const linkedAtBack = await run.linkedCount();
  const injected = await target.injected();
  await target.setFaults({});
  const back = Date.now();
  for (const sim of Object.values(world.simulators)) if (sim !== target) await sim.setFaults({});
  await run.settle(total, size.settleMs);
  const caughtUpMs = Date.now() - back;
  const after = await status();

  const result = judge('R12 2 h partner outage', pair, 1, await run.finalState(), { deadLettersAllowed: false });
  result.partner5xx = injected.errors;
  const failures: string[] = [];
  const first = looks.findIndex((l) => l.outage);
  if (first < 0) failures.push(`the status never showed the outage in ${looks.length} looks over ${size.outageMs / 1000} s`);
  else {
    const o = looks[first]!.outage!;
    if (Date.parse(o.since) < down - 1_000 || Date.parse(o.since) > looks[first]!.at) failures.push(`outage since ${o.since}, but the partner went down at ${new Date(down).toISOString()}`);
    // Once shown, it stays shown for as long as the partner is down (also while a retry is running).
    const gaps = looks.slice(first).filter((l) => !l.outage).length;
    if (gaps > 0) failures.push(`the outage was missing from ${gaps} of ${looks.length - first} looks after it first showed`);
    if (!/503/.test(o.lastError)) failures.push(`the outage's last error does not name the partner's 503: ${o.lastError}`);
  }
  if (!/OUTAGE: failing since/.test(frameDuring)) failures.push(`mlc connections status did not show the outage: ${frameDuring.split('\n')[1] ?? ''}`);
  if (after.outage) failures.push(`the status still shows the outage after the catch-up: ${JSON.stringify(after.outage)}`);
  if (/OUTAGE/.test(renderStatusFrame(run.connectionId, { at: Date.now(), status: after }))) failures.push('mlc connections status still shows the outage after the catch-up');
  if (linkedAtDown >= total) failures.push('the sync had finished before the outage: nothing was tested');
  if (injected.errors === 0) failures.push('the partner answered no 503: the outage did not reach it');
  result.failures.unshift(...failures);
  result.pass = result.failures.length === 0;

  // When each failed attempt was first seen (the engine's backoff, as the status shows it).
  const seen: Array<{ n: number; at: number }> = [];
  for (const l of looks) if (l.outage && l.outage.failedAttempts !== seen.at(-1)?.n) seen.push({ n: l.outage.failedAttempts, at: l.at });
  const gapsSeen = seen.slice(1).map((s, i) => Math.round((s.at - seen[i]!.at) / 1000));
  const last = looks.filter((l) => l.outage).at(-1)?.outage;
  result.notes.push(
    `${targetName} down ${(size.outageMs / 1000).toFixed(0)} s real = ${(size.simulatedMs / 3_600_000).toFixed(1)} h on its clock, from ${linkedAtDown} of ${total} records written (${linkedAtBack} when back); ` +
      `${injected.errors} x 503; status showed the outage in ${looks.filter((l) => l.outage).length} of ${looks.length} looks, last: ${last ? `${last.failedAttempts} failed attempts, next retry ${last.nextRetryAt ?? 'running'}` : 'none'}; ` +
      `seconds between failed attempts seen ${gapsSeen.join('/') || '-'}; caught up ${(caughtUpMs / 1000).toFixed(0)} s after the partner was back, no manual step; ${((Date.now() - began) / 1000).toFixed(0)} s`,
  );
  return result;
}
