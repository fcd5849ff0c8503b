/**
 * P6: connections per worker. N idle connections (each with its own Asana token, as separate customers would
 * have) poll on a short interval, all on one worker process. After every connection's first poll (webhook
 * registration) the run is measured for `seconds`: the worker's peak RSS and poll lag (due time -> poll attempt
 * started; idle polls are retries of each connection's poll activity, fired by the server, see poll-attempts.ts).
 */
import { percentile, randomTaskQueue, sleep, startWorker, until, type Services } from './harness';
import { pollLags } from './poll-attempts';
import { type Result } from './report';
import { Scenario } from './scenario';

export async function runP6(services: Services, connections: number, seconds: number, log: (l: string) => void): Promise<Result> {
  // 1,000 connections at one poll a minute each: ~17 polls/s (4 flows each) on one worker.
  const intervalS = connections >= 1_000 ? 60 : 15;
  const { pool, url } = await services.database('p6');
  const s = new Scenario(services, pool, url, randomTaskQueue('p6'));
  await s.setup({ vouchers: 0, extraUsers: connections });
  const worker = await startWorker(services, { taskQueue: s.taskQueue, databaseUrl: url, masterKey: s.masterKey });
  try {
    log(`P6: starting ${connections} idle connections polling @every ${intervalS}s`);
    const ids: string[] = [];
    for (let i = 0; i < connections; i += 25) {
      const batch = Array.from({ length: Math.min(25, connections - i) }, (_, j) => s.connect({ schedule: `@every ${intervalS}s`, userIndex: 2 + i + j }));
      ids.push(...(await Promise.all(batch)));
    }
    // Warm-up: every connection has finished its first poll (webhook registered) before the clock starts.
    await until(async () => {
      const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM webhook_registrations WHERE status = 'active'`);
      return rows[0]!.n >= connections;
    }, 10 * 60_000, 'first polls of every connection', 2000).catch(() => log('P6: not every connection registered its webhook in time; measuring anyway'));
    const measureFrom = Date.now();
    log(`P6: measuring for ${seconds} s`);
    await sleep(seconds * 1000);
    const measureTo = Date.now();
    const rss = worker.peakRssMb();

    const inWindow = (t: number) => t >= measureFrom && t <= measureTo;
    const attempts = worker.pollAttempts();
    const lags = pollLags(attempts).filter((l) => inWindow(l.startedAt)).map((l) => l.lagMs);
    const polls = attempts.filter((a) => a.polled && inWindow(a.startedAt)).length;
    await Promise.all(ids.map((id) => services.client.workflow.getHandle(id).terminate('benchmark finished').catch(() => undefined)));
    const p50 = percentile(lags, 50);
    const p99 = percentile(lags, 99);
    const expectedPolls = (connections * seconds) / intervalS;
    return {
      value: connections,
      unit: 'connections',
      ratio: p99 / 10_000,
      target: '1,000 with RSS <= 1 GB, lag p99 <= 10 s',
      met: connections >= 1_000 && rss <= 1024 && p99 <= 10_000,
      workerPeakRssMb: rss,
      lagP50Ms: p50,
      lagP99Ms: p99,
      pollIntervalSeconds: intervalS,
      polls,
      expectedPolls,
      note: `poll @every ${intervalS}s; worker peak RSS ${rss.toFixed(0)} MB; lag p50 ${(p50 / 1000).toFixed(2)} s, p99 ${(p99 / 1000).toFixed(2)} s; ${polls}/${expectedPolls.toFixed(0)} polls due in ${seconds} s ran`,
    };
  } finally {
    await worker.stop();
    await s.stop();
  }
}
