/** P7: time and actions per record as the first sync grows (1k, 10k; 100k with --full). */
import { type Services } from './harness';
import { type Result } from './report';
import { connectorSync, type SyncMeasure } from './sync-run';

export async function runP7(services: Services, sizes: number[], known: SyncMeasure[], log: (l: string) => void): Promise<Result> {
  const points: SyncMeasure[] = [];
  for (const n of sizes) {
    const reuse = known.find((k) => k.records === n);
    if (reuse) {
      points.push(reuse);
      continue;
    }
    log(`P7: ml-connector, ${n} vouchers`);
    points.push(await connectorSync(services, n));
  }
  points.sort((a, b) => a.records - b.records);
  const first = points[0]!;
  const last = points[points.length - 1]!;
  const msPer = (p: SyncMeasure) => (p.seconds * 1000) / p.records;
  const growth = msPer(last) / msPer(first);
  return {
    value: growth,
    unit: 'x time/record growth',
    ratio: growth / 1.2,
    target: '<= 1.2x',
    met: growth <= 1.2,
    points: points.map((p) => ({ records: p.records, msPerRecord: msPer(p), actionsPerRecord: p.actions / p.records, seconds: p.seconds, workerPeakRssMb: p.workerPeakRssMb })),
    note: points.map((p) => `${p.records}: ${msPer(p).toFixed(2)} ms, ${(p.actions / p.records).toPrecision(2)} act/rec`).join('; '),
  };
}
