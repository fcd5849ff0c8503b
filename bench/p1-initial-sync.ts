/**
 * P1: initial sync throughput against a partner without a rate limit, ml-connector vs the bare loop, same run.
 * P2: Temporal billable actions per synced record, counted from that sync's workflow histories.
 */
import { type Services } from './harness';
import { type Result } from './report';
import { bareLoopSync, connectorSync, type SyncMeasure } from './sync-run';

export async function runP1P2(services: Services, n: number, log: (l: string) => void): Promise<{ P1: Result; P2: Result; sync: SyncMeasure }> {
  log(`P1: bare loop, ${n} vouchers`);
  const bare = await bareLoopSync(services, n);
  log(`P1: bare loop ${bare.perSecond.toFixed(0)}/s; ml-connector, ${n} vouchers`);
  const sync = await connectorSync(services, n);
  log(`P1: ml-connector ${sync.perSecond.toFixed(0)}/s, ${sync.actions} actions`);
  const ratio = sync.perSecond / bare.perSecond;
  const perRecord = sync.actions / n;
  return {
    sync,
    P1: {
      value: sync.perSecond,
      unit: 'records/s',
      ratio,
      target: '>= 0.85 of bare loop',
      met: ratio >= 0.85,
      baselinePerSecond: bare.perSecond,
      records: n,
      tasksCreated: { connector: sync.tasks, bare: bare.tasks },
      workerPeakRssMb: sync.workerPeakRssMb,
      note: `bare loop ${bare.perSecond.toFixed(0)}/s; ${n} vouchers`,
    },
    P2: {
      value: perRecord,
      unit: 'actions/record',
      ratio: perRecord / 0.02,
      target: '<= 0.02',
      met: perRecord <= 0.02,
      actions: sync.actions,
      byKind: sync.actionsByKind,
      historyEvents: sync.historyEvents,
      note: `${sync.actions} actions for ${n} records (${Object.entries(sync.actionsByKind).map(([k, v]) => `${k} ${v}`).join(', ')})`,
    },
  };
}
