/**
 * P6: connections per worker. N idle connections (each with its own Asana token, as separate customers would
 * have) poll on a schedule, all on one worker process. After every connection's first poll (webhook registration)
 * the run is measured for `seconds`: the worker's peak RSS, every poll due in the window (due time = when the previous
 * attempt of the connection's poll asked to run again; idle polls are retries of each connection's poll activity,
 * fired by the server, see poll-attempts.ts), whether it ran and how late, and the CPU the worker, the Temporal dev
 * server and PostgreSQL spent per poll.
 */
import { writeFileSync } from 'node:fs';
import { cpuDelta, cpuSnapshot } from './cpu-usage';
import { percentile, randomTaskQueue, sleep, startWorker, until, type Services } from './harness';
import { duePolls } from './poll-attempts';
import { type Result } from './report';
import { Scenario } from './scenario';

export interface P6Size {
  connections: number;
  /** Poll interval of every connection (`@every <n>s`); the goal is stated at 300 (5-minute polls). */
  intervalSeconds: number;
  /** Measured window; at least one interval, so every connection has a due poll in it. */
  seconds: number;
}

/** A due poll must start within this long to count as on time (the lag goal); the window's last polls get it too. */
const LAG_GOAL_MS = 10_000;
/** How long after the window the attempts started in it have to report (the worker writes a line when one ends). */
const DRAIN_MS = 15_000;

export async function runP6(services: Services, size: P6Size, log: (l: string) => void): Promise<Result> {
  const { connections, intervalSeconds: intervalS, seconds } = size;
  const { pool, url } = await services.database('p6');
  const s = new Scenario(services, pool, url, randomTaskQueue('p6'));
  await s.setup({ vouchers: 0, extraUsers: connections });
  // BENCH_P6_PROFILE=<dir>: the worker's CPU profile (node --cpu-prof), written when it stops.
  const worker = await startWorker(services, { taskQueue: s.taskQueue, databaseUrl: url, masterKey: s.masterKey, cpuProfileDir: process.env.BENCH_P6_PROFILE });
  try {
    log(`P6: starting ${connections} idle connections polling @every ${intervalS}s`);
    const started = Date.now();
    const ids: string[] = [];
    for (let i = 0; i < connections; i += 25) {
      const batch = Array.from({ length: Math.min(25, connections - i) }, (_, j) => s.connect({ schedule: `@every ${intervalS}s`, userIndex: 2 + i + j }));
      ids.push(...(await Promise.all(batch)));
      if (i % 1000 === 0) log(`P6: ${ids.length} connections started`);
    }
    const startSeconds = (Date.now() - started) / 1000;
    // Warm-up: every connection has finished its first poll (webhook registered) before the clock starts.
    await until(async () => {
      const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM webhook_registrations WHERE status = 'active'`);
      return rows[0]!.n >= connections;
    }, 30 * 60_000, 'first polls of every connection', 2000).catch(() => log('P6: not every connection registered its webhook in time; measuring anyway'));
    // The first polls' results still queue as workflow tasks and idle attempts after the webhooks are registered:
    // settle until attempts start within a second of their schedule again (at most one interval), so the window
    // measures the steady state, not the warm-up's backlog.
    const settleFrom = Date.now();
    await until(async () => {
      const recent = worker.pollAttempts().filter((a) => a.startedAt >= Date.now() - 10_000);
      // Attempts report when they end: none reported lately means they are still queued or running, not settled.
      return Date.now() - settleFrom >= 10_000 && recent.length > 0 && recent.every((a) => a.startedAt - a.scheduledAt < 1_000);
    }, intervalS * 1000, 'poll attempts starting on time', 1000).catch(() => log('P6: poll attempts still start late after one interval; measuring anyway'));
    const warmUpSeconds = (Date.now() - started) / 1000;
    const rssAfterWarmUp = worker.peakRssMb();
    const measureFrom = Date.now();
    const cpuBefore = cpuSnapshot(worker.pid);
    log(`P6: ${connections} connections up in ${warmUpSeconds.toFixed(0)} s (started in ${startSeconds.toFixed(0)} s); measuring for ${seconds} s`);
    await sleep(seconds * 1000);
    const measureTo = Date.now();
    const cpu = cpuDelta(cpuBefore, cpuSnapshot(worker.pid));
    const rss = worker.peakRssMb();
    // An attempt is reported when it ends: give those that started by measureTo time to report.
    await sleep(DRAIN_MS);

    // Polls due up to LAG_GOAL_MS before the end: each had the full lag goal to start.
    const due = duePolls(worker.pollAttempts(), measureFrom, measureTo - LAG_GOAL_MS, measureTo);
    // BENCH_P6_DUMP=<file>: every poll attempt with the window, to look into a run's lags afterwards.
    if (process.env.BENCH_P6_DUMP) writeFileSync(process.env.BENCH_P6_DUMP, JSON.stringify({ measureFrom, measureTo, attempts: worker.pollAttempts() }));
    await Promise.all(ids.map((id) => services.client.workflow.getHandle(id).terminate('benchmark finished').catch(() => undefined)));
    const p50 = percentile(due.lagsMs, 50);
    const p99 = percentile(due.lagsMs, 99);
    const max = Math.max(...due.lagsMs);
    const perPollMs = (part: string) => (due.ran ? ((cpu[part] ?? 0) * 1000) / due.ran : NaN);
    const cpuPerPollMs = { worker: perPollMs('worker'), temporal: perPollMs('temporal'), postgres: perPollMs('postgres') };
    const goal = connections >= 10_000 && intervalS <= 300;
    return {
      value: connections,
      unit: 'connections',
      ratio: p99 / LAG_GOAL_MS,
      target: '10,000 @every 300s: RSS <= 1 GB, every due poll runs, lag p99 <= 10 s',
      met: goal && rss <= 1024 && due.missed === 0 && p99 <= LAG_GOAL_MS,
      workerPeakRssMb: rss,
      workerRssAfterWarmUpMb: rssAfterWarmUp,
      lagP50Ms: p50,
      lagP99Ms: p99,
      lagMaxMs: max,
      pollIntervalSeconds: intervalS,
      duePolls: due.due,
      ranPolls: due.ran,
      missedPolls: due.missed,
      warmUpSeconds,
      cpuSeconds: cpu,
      cpuPerPollMs,
      note:
        `poll @every ${intervalS}s, ${seconds} s measured; ${due.ran}/${due.due} due polls ran; lag over all due polls p50 ${(p50 / 1000).toFixed(2)} s, ` +
        `p99 ${(p99 / 1000).toFixed(2)} s, max ${(max / 1000).toFixed(2)} s; worker peak RSS ${rss.toFixed(0)} MB; CPU per poll: worker ${cpuPerPollMs.worker.toFixed(1)} ms, ` +
        `Temporal ${cpuPerPollMs.temporal.toFixed(1)} ms, PostgreSQL ${cpuPerPollMs.postgres.toFixed(1)} ms`,
    };
  } finally {
    await worker.stop();
    await s.stop();
  }
}
