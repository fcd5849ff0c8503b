/**
 * P4: rate-limit utilisation. The Asana simulator enforces 1,500 requests/min per token (Asana's paid plan); the
 * connector's own limiter is left as shipped. Utilisation is measured over whole minutes from the first request
 * (a sliding-window limit lets any client burst in its first minute, so partial minutes would flatter the number).
 */
import { statusQuery } from '../core/sync-messages';
import { randomTaskQueue, startWorker, until, type Services } from './harness';
import { type Result } from './report';
import { Scenario } from './scenario';
import { perMinuteUtilisation } from './utilisation';

const ASANA_LIMIT = 1_500;

export async function runP4(services: Services, tasks: number, log: (l: string) => void): Promise<Result> {
  const { pool, url } = await services.database('p4');
  const s = new Scenario(services, pool, url, randomTaskQueue('p4'));
  await s.setup({ vouchers: tasks });
  await s.asana.admin.setRateLimits({ requestsPerMinute: ASANA_LIMIT });
  const worker = await startWorker(services, { taskQueue: s.taskQueue, databaseUrl: url, masterKey: s.masterKey });
  try {
    log(`P4: ${tasks} tasks under ${ASANA_LIMIT} requests/min`);
    await s.asana.admin.clearRequests();
    const workflowId = await s.connect({ schedule: '@every 3600s' });
    const handle = services.client.workflow.getHandle(workflowId);
    await until(async () => {
      const st = await handle.query(statusQuery);
      return st.totals.polls >= 1 && st.state === 'idle';
    }, 30 * 60_000, `${tasks} tasks under the rate limit`, 1000);
    await handle.terminate('benchmark finished');
    const u = perMinuteUtilisation((await s.asana.admin.requests()).filter((r) => r.tokenHash !== null), ASANA_LIMIT);
    return {
      value: u.utilisation,
      unit: 'of 1,500 req/min',
      ratio: u.utilisation / 0.95,
      target: '>= 0.95, <= 1% 429s',
      met: u.utilisation >= 0.95 && u.share429 <= 0.01,
      ...u,
      tasks: (await s.asana.admin.tasks()).length,
      note: `${u.requestsPerMinute.toFixed(0)} req/min over ${u.wholeMinutes || '<1'} whole min, ${(u.share429 * 100).toFixed(2)}% 429 (${u.rejected429}/${u.requests})`,
    };
  } finally {
    await worker.stop();
    await s.stop();
  }
}
