/**
 * P1: initial sync throughput against a partner without a rate limit, ml-connector vs the bare loop, same run.
 * P2: Temporal billable actions per synced record, counted from that sync's workflow histories.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { selfTimeByArea, topSelfTime } from './cpu-profile';
import { type Services } from './harness';
import { P2_TARGET } from './p2-pairs';
import { type Result } from './report';
import { bareLoopSync, connectorSync, type SyncMeasure } from './sync-run';

export async function runP1P2(services: Services, n: number, log: (l: string) => void, opts: { profile?: boolean } = {}): Promise<{ P1: Result; P2: Result; sync: SyncMeasure }> {
  // Kept after the run (bench/results/ is git-ignored) so the profile can be opened in a profiler afterwards.
  const profileDir = opts.profile ? path.resolve(__dirname, 'results', 'p1-worker-profile') : undefined;
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });
  // Bare loop before and after ml-connector, averaged: a shared 2-core machine drifts between runs.
  log(`P1: bare loop, ${n} vouchers`);
  const before = await bareLoopSync(services, n);
  log(`P1: bare loop ${before.perSecond.toFixed(0)}/s; ml-connector, ${n} vouchers`);
  const sync = await connectorSync(services, n, { cpuProfileDir: profileDir });
  log(`P1: ml-connector ${sync.perSecond.toFixed(0)}/s, ${sync.actions} actions; bare loop again`);
  const after = await bareLoopSync(services, n);
  const bare = { perSecond: (before.perSecond + after.perSecond) / 2, tasks: before.tasks };
  const ratio = sync.perSecond / bare.perSecond;
  const perRecord = sync.actions / n;
  return {
    sync,
    P1: {
      value: sync.perSecond,
      unit: 'records/s',
      ratio,
      target: '>= 0.90 of bare loop',
      met: ratio >= 0.9,
      baselinePerSecond: bare.perSecond,
      records: n,
      tasksCreated: { connector: sync.tasks, bare: bare.tasks },
      workerPeakRssMb: sync.workerPeakRssMb,
      baselineRuns: [before.perSecond, after.perSecond],
      // Where the machine's CPU went, per record: what bounds the ratio on a 2-core machine that runs everything.
      cpuMsPerRecord: { connector: perRecordMs(sync.cpu, n), bareLoop: perRecordMs(before.cpu, n) },
      postgresPerRecord: { commits: sync.postgres.commits / n, rowsInserted: sync.postgres.rowsInserted / n, rowsUpdated: sync.postgres.rowsUpdated / n },
      ...(profileDir ? { workerProfileTop: topSelfTime(profileDir), workerProfileByArea: selfTimeByArea(profileDir), workerProfileDir: profileDir } : {}),
      note: `bare loop ${bare.perSecond.toFixed(0)}/s (${before.perSecond.toFixed(0)} before, ${after.perSecond.toFixed(0)} after); ${n} vouchers`,
    },
    P2: {
      value: perRecord,
      unit: 'actions/record',
      ratio: perRecord / P2_TARGET,
      target: `<= ${P2_TARGET} (every pair's main flow)`,
      met: perRecord <= P2_TARGET,
      actions: sync.actions,
      byKind: sync.actionsByKind,
      historyEvents: sync.historyEvents,
      note: `${sync.actions} actions for ${n} records (${Object.entries(sync.actionsByKind).map(([k, v]) => `${k} ${v}`).join(', ')})`,
    },
  };
}

function perRecordMs(cpu: Record<string, number>, n: number): Record<string, number> {
  return Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, Math.round((v / n) * 1e5) / 100]));
}
