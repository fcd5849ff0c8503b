/**
 * P4: rate-limit utilisation. The Asana simulator enforces 1,500 requests/min per token (Asana's paid plan); the
 * connector's own limiter is left as shipped. Utilisation is measured over whole minutes from the first request
 * (a sliding-window limit lets any client burst in its first minute, so partial minutes would flatter the number).
 */
import { statusQuery } from '../core/sync-messages';
import { randomTaskQueue, startWorker, until, type Services } from './harness';
import { type Result } from './report';
import { Scenario } from './scenario';

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
    const requests = (await s.asana.admin.requests()).filter((r) => r.tokenHash !== null);
    const first = requests[0]!.receivedAtMs;
    const last = requests[requests.length - 1]!.receivedAtMs;
    const minutes = Math.floor((last - first) / 60_000);
    const inWhole = minutes > 0 ? requests.filter((r) => r.receivedAtMs < first + minutes * 60_000).length : requests.length;
    const perMinute = minutes > 0 ? inWhole / minutes : (requests.length / Math.max(1, last - first)) * 60_000;
    const rejected = requests.filter((r) => r.status === 429).length;
    const utilisation = perMinute / ASANA_LIMIT;
    const share429 = rejected / requests.length;
    return {
      value: utilisation,
      unit: 'of 1,500 req/min',
      ratio: utilisation / 0.95,
      target: '>= 0.95, <= 1% 429s',
      met: utilisation >= 0.95 && share429 <= 0.01,
      requestsPerMinute: perMinute,
      requests: requests.length,
      rejected429: rejected,
      share429,
      wholeMinutes: minutes,
      tasks: (await s.asana.admin.tasks()).length,
      note: `${perMinute.toFixed(0)} req/min over ${minutes || '<1'} whole min, ${(share429 * 100).toFixed(2)}% 429 (${rejected}/${requests.length})`,
    };
  } finally {
    await worker.stop();
    await s.stop();
  }
}
