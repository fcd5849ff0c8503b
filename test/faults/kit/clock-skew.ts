import { getConnection } from '../../../db/connections';
import { syncInputFor } from '../../../pairs/derive';
import { pollAndWait } from '../../pairs/pair-harness';
import { eventually } from '../../support/worker-process';
import { type FixtureDeps, type PairFaultFixture, type SourceClockSurface } from './fault-fixture';
import { FaultRun } from './fault-run';
import { type ScenarioResult } from './result-table';
import { judge, type ScenarioSize } from './scenarios';

export interface SkewSize extends ScenarioSize {
  /** How far the source's clock runs ahead of ours; edits it stamps then are read once our clock gets there. */
  aheadMs: number;
  /** How far it runs behind ours (the dangerous side: its stamps fall before our watermark). */
  behindMs: number;
  /** Records edited at each step (ahead, behind, each skew change); each window edge gets one. */
  perStep: number;
  /** Latency of the source's answers while edits land mid-read, so the poll is reading while they are saved. */
  readLatencyMs: number;
}

const SECOND = 1_000;

/** Instants around the watermark W of the flow (its last window's end) and the next window's start W - overlap. */
export function windowEdges(watermarkMs: number, overlapMs: number): Array<[label: string, atMs: number]> {
  const start = watermarkMs - overlapMs;
  return [
    ['next window start (W - overlap)', start],
    ['W - overlap + 1 ms', start + 1],
    ['W - overlap + 1 s', start + SECOND],
    ['within the overlap', start + Math.floor(overlapMs / 2)],
    ['W - 1 s', watermarkMs - SECOND],
    ['W - 1 ms', watermarkMs - 1],
    ['W (last window end)', watermarkMs],
    ['W + 1 ms', watermarkMs + 1],
    ['W + 1 s', watermarkMs + SECOND],
  ];
}

/** Waits until the workflow is polling, then `during` runs while the (slowed) source is being read. */
async function duringRead(run: FaultRun, clock: SourceClockSurface, latencyMs: number, start: () => Promise<void>, during: () => Promise<void>): Promise<void> {
  const sim = run.world.simulators[clock.simulator];
  if (!sim) throw new Error(`R11: the world has no simulator named ${clock.simulator}`);
  await sim.setFaults({ latencyMs });
  try {
    await start();
    await eventually(async () => (await run.status()).state === 'polling', 30_000, 'the poll to start reading');
    await during();
  } finally {
    await sim.setFaults({});
  }
}

/**
 * R11: the source's clock off ours while records change. The first sync starts with the source 5 min behind; while
 * its windows are read, records are edited, then the source's clock steps ahead (forward skew change mid-sync) and
 * more are edited, stamped in our future. The next poll steps it back behind during its read (backward change
 * mid-sync), with edits on both sides of the step. Then records are saved exactly at the edges of the flow's windows
 * (its watermark and the next window's start, one ms and one second either side, inside the overlap). Once our clock
 * has passed every stamp, the state must be exact: every edit on the target, once, no record created twice.
 */
export function clockSkew(fixture: PairFaultFixture, deps: FixtureDeps, size: SkewSize): Promise<ScenarioResult> {
  const run = new FaultRun(fixture, deps);
  const body = async (): Promise<ScenarioResult> => {
    const began = Date.now();
    const world = await run.open(size.records);
    const clock = world.sourceClock;
    if (!clock) throw new Error(`${fixture.pairId}: its fault fixture has no sourceClock (R11 needs the source's clock and edits)`);
    const connection = (await getConnection(deps.pool, world.connectionId))!;
    const flow = syncInputFor(connection).flows.find((f) => f.flow === clock.flow);
    if (!flow) throw new Error(`${fixture.pairId}: sourceClock names flow ${clock.flow}, which the connection does not run`);
    const edits = new Map<string, string>();
    let readyAt = 0;
    const edit = async (label: string, n: number, atMs?: number) => {
      for (const k of await clock.change(n, atMs)) edits.set(k, label);
    };
    const ahead = async (label: string) => {
      await edit(label, size.perStep);
      readyAt = Date.now() + size.aheadMs;
    };

    // 1. First sync with the source behind; edits mid-read, then a forward step to ahead, more edits (mid-sync).
    await clock.setSkew(-size.behindMs);
    await run.startWorker();
    await duringRead(run, clock, size.readLatencyMs, () => run.startWorkflow(), async () => {
      await edit(`source ${size.behindMs / 60_000} min behind, edited while the first sync reads`, size.perStep);
      await clock.setSkew(size.aheadMs);
      await ahead(`skew stepped forward to +${size.aheadMs / SECOND} s mid-sync`);
    });
    // Records stamped ahead may not be read by this poll at all (their change time is in our future): no settle yet.
    await eventually(async () => {
      const s = await run.status();
      return s.totals.polls >= 1 && s.state === 'idle';
    }, size.settleMs, 'the first poll to finish');

    // 2. The next poll: the source steps back from ahead to behind while it reads, edits on both sides of the step.
    await duringRead(run, clock, size.readLatencyMs, () => run.handle!.signal('pollNow'), async () => {
      await ahead(`source +${size.aheadMs / SECOND} s ahead, edited while a window is read`);
      await clock.setSkew(-size.behindMs);
      await edit(`skew stepped back to -${size.behindMs / SECOND} s mid-sync`, size.perStep);
    });
    await eventually(async () => (await run.status()).state === 'idle', size.settleMs, 'the poll to finish');

    // 3. Saves at the edges of the flow's windows: W is the end of the window just read, W - overlap the next start.
    const watermark = Date.parse((await run.status()).progress[clock.flow]!.watermark);
    await eventually(async () => Date.now() > watermark + 2 * SECOND, 10_000, 'our clock past W + 1 s');
    for (const [label, at] of windowEdges(watermark, flow.overlapMs)) await edit(`saved at ${label}`, 1, at);
    await pollAndWait(run.handle!, size.settleMs);

    // 4. Edits stamped in our future are read once our clock passes them (the window ends at our now): wait, poll.
    const waitedMs = Math.max(0, readyAt + 2 * SECOND - Date.now());
    await new Promise((r) => setTimeout(r, waitedMs));
    await pollAndWait(run.handle!, size.settleMs);
    // Fixtures whose changes are new records (Procurify) have more now than at the start.
    await run.settle((await world.expected()).length, size.settleMs);

    const final = await run.finalState();
    const result = judge('R11 clock skew', fixture.pairId, 4, final, { deadLettersAllowed: false });
    const missed = [...edits].filter(([k]) => final.comparison.wrong.some((w) => w.startsWith(`${k} `)) || final.comparison.missing.includes(k));
    for (const [k, label] of missed.slice(0, 10)) result.failures.push(`edit missed: ${k} (${label})`);
    result.missing = new Set([...final.comparison.missing, ...missed.map(([k]) => k)]).size;
    const twice = await deps.pool.query<{ record_key: string; n: number }>(
      `SELECT record_key, count(*)::int AS n FROM audit_events WHERE connection_id = $1 AND action = 'create' AND outcome = 'ok' GROUP BY record_key HAVING count(*) > 1`,
      [world.connectionId],
    );
    for (const r of twice.rows.slice(0, 10)) result.failures.push(`created ${r.n} times: ${r.record_key}`);
    result.duplicates += twice.rows.length;
    result.pass = result.failures.length === 0;
    result.notes.push(
      `${edits.size} edits on ${clock.flow} (skew -${size.behindMs / SECOND} s / +${size.aheadMs / SECOND} s, ${windowEdges(0, 0).length} window edges, overlap ${flow.overlapMs / SECOND} s), ${missed.length} missed; waited ${(waitedMs / SECOND).toFixed(0)} s for stamps ahead of our clock; ${((Date.now() - began) / SECOND).toFixed(0)} s`,
    );
    return result;
  };
  return body().finally(() => run.close());
}
