/**
 * P8: two worker processes, two connections sharing one Asana token, first sync. The Asana simulator enforces
 * 1,500 requests/min per token (https://developers.asana.com/docs/rate-limits); the workers are `npm run worker`'s
 * (bench/worker-entry.ts wires the PostgreSQL rate budget as workers/main.ts does), each on its own task queue with
 * one of the connections, so both processes send with the one token at the same time (on one shared queue, the
 * first worker's pollers took nearly every activity and the other process sat idle). Goal: <= 1% of requests answered 429 and >= 90% of the token's
 * budget used (whole minutes, as P4).
 */
import { statusQuery } from '../core/sync-messages';
import { cpuDelta, cpuSnapshot } from './cpu-usage';
import { randomTaskQueue, startWorker, until, type Services } from './harness';
import { type Result } from './report';
import { Scenario } from './scenario';
import { perMinuteUtilisation } from './utilisation';

const ASANA_LIMIT = 1_500;

export async function runP8(services: Services, vouchers: number, log: (l: string) => void): Promise<Result> {
  const { pool, url } = await services.database('p8');
  const s = new Scenario(services, pool, url, randomTaskQueue('p8'));
  await s.setup({ vouchers });
  await s.asana.admin.setRateLimits({ requestsPerMinute: ASANA_LIMIT });
  const queues = [`${s.taskQueue}-a`, `${s.taskQueue}-b`];
  const workers = await Promise.all(queues.map((taskQueue) => startWorker(services, { taskQueue, databaseUrl: url, masterKey: s.masterKey })));
  try {
    log(`P8: two workers, two connections on one Asana token, ${vouchers} vouchers each, ${ASANA_LIMIT} requests/min`);
    await s.asana.admin.clearRequests();
    const cpuBefore = workers.map((w) => cpuSnapshot(w.pid));
    const ids = await Promise.all(queues.map((taskQueue) => s.connect({ schedule: '@every 3600s', userIndex: 0, taskQueue })));
    const began = Date.now();
    for (const id of ids) {
      const handle = services.client.workflow.getHandle(id);
      await until(async () => {
        const st = await handle.query(statusQuery);
        return st.totals.polls >= 1 && st.state === 'idle';
      }, 30 * 60_000, `first sync of ${vouchers} vouchers under the shared budget`, 1000);
    }
    const seconds = (Date.now() - began) / 1000;
    // Both processes did the work: each worker's CPU seconds over the sync.
    const workerCpuSeconds = workers.map((w, i) => cpuDelta(cpuBefore[i]!, cpuSnapshot(w.pid)).worker);
    await Promise.all(ids.map((id) => services.client.workflow.getHandle(id).terminate('benchmark finished')));
    const u = perMinuteUtilisation((await s.asana.admin.requests()).filter((r) => r.tokenHash !== null), ASANA_LIMIT);
    return {
      value: u.utilisation,
      unit: 'of 1,500 req/min (one token, 2 workers)',
      ratio: u.utilisation / 0.9,
      target: '>= 0.90, <= 1% 429s',
      met: u.utilisation >= 0.9 && u.share429 <= 0.01,
      ...u,
      seconds,
      workerCpuSeconds,
      tasks: (await s.asana.admin.tasks()).length,
      note: `${u.requestsPerMinute.toFixed(0)} req/min over ${u.wholeMinutes || '<1'} whole min, ${(u.share429 * 100).toFixed(2)}% 429 (${u.rejected429}/${u.requests}), worker CPU ${workerCpuSeconds.join(' s / ')} s, ${u.cpus} CPUs`,
    };
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await s.stop();
  }
}
