/**
 * P5: webhook -> PeopleSoft latency. After a first sync of pending vouchers, people complete 100 Asana tasks per
 * second; the simulator delivers the events to our API as Asana would. Latency per task: from our API answering
 * 200 to the delivery that carried the task's first event, to the PeopleSoft approval CI write (effect log time;
 * both simulators and the API share this process's clock). Partner rate limits are lifted, as in P1: on real
 * Asana the fresh GET of each task alone would cap one token at 25 events/s.
 */
import { statusQuery } from '../core/sync-messages';
import { percentile, randomTaskQueue, sleep, startWorker, until, type Services } from './harness';
import { type Result } from './report';
import { Scenario } from './scenario';

const RATE = 100;
const UNLIMITED = 1_000_000_000;

export async function runP5(services: Services, seconds: number, log: (l: string) => void): Promise<Result> {
  const total = RATE * seconds;
  const { pool, url } = await services.database('p5');
  const s = new Scenario(services, pool, url, randomTaskQueue('p5'));
  await s.setup({ vouchers: total, allPending: true });
  await s.asana.admin.setRateLimits({ requestsPerMinute: UNLIMITED });
  const worker = await startWorker(services, { taskQueue: s.taskQueue, databaseUrl: url, masterKey: s.masterKey, unlimitedAsanaTokens: [s.token()] });
  try {
    log(`P5: first sync of ${total} pending vouchers`);
    const workflowId = await s.connect({ schedule: '@every 3600s' });
    const handle = services.client.workflow.getHandle(workflowId);
    await until(async () => {
      const st = await handle.query(statusQuery);
      return st.totals.polls >= 1 && st.state === 'idle';
    }, 20 * 60_000, 'first sync', 500);
    const tasks = (await s.asana.admin.tasks()).map((t) => ({ gid: String(t.gid), name: String(t.name) })).filter((t) => t.name.startsWith('Approve voucher'));
    const effectsBefore = (await s.psAdmin.effects()).length;

    log(`P5: completing ${RATE} tasks/s for ${seconds} s`);
    const began = Date.now();
    const calls: Promise<unknown>[] = [];
    for (let i = 0; i < total && i < tasks.length; i++) {
      const due = began + (i * 1000) / RATE;
      if (due > Date.now()) await sleep(due - Date.now());
      calls.push(s.asana.admin.completeTask(tasks[i]!.gid, true, s.world.users[1]!.gid));
    }
    await Promise.all(calls);
    const sent = calls.length;
    let effects = await s.psAdmin.effects();
    const deadline = Date.now() + 5 * 60_000;
    while (effects.length - effectsBefore < sent && Date.now() < deadline) {
      await sleep(1000);
      effects = await s.psAdmin.effects();
    }
    const written = effects.slice(effectsBefore);
    const drainSeconds = (Date.now() - began) / 1000;

    // task gid -> when its first event was accepted by our API
    const accepted = new Map<string, number>();
    for (const d of await s.asana.admin.deliveries()) {
      const at = s.acceptedAt.get(d.signature);
      if (d.kind !== 'events' || at === undefined) continue;
      for (const e of (JSON.parse(d.body) as { events: { resource: { gid: string } }[] }).events) {
        const prev = accepted.get(e.resource.gid);
        if (prev === undefined || at < prev) accepted.set(e.resource.gid, at);
      }
    }
    const gidByKey = new Map(tasks.map((t) => [/^Approve voucher (\S+)\/(\S+)/.exec(t.name)?.slice(1).join('/') ?? '', t.gid]));
    const latencies: number[] = [];
    for (const w of written) {
      const gid = gidByKey.get(`${String(w.keys.BUSINESS_UNIT)}/${String(w.keys.VOUCHER_ID)}`);
      const at = gid ? accepted.get(gid) : undefined;
      if (at !== undefined) latencies.push(Date.parse(w.at) - at);
    }
    await handle.terminate('benchmark finished');
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    return {
      value: p99 / 1000,
      unit: 's p99',
      ratio: p99 / 1000,
      target: 'p99 <= 1 s',
      met: p99 <= 1000 && written.length >= sent,
      p50Ms: p50,
      p99Ms: p99,
      completions: sent,
      psWrites: written.length,
      measured: latencies.length,
      drainSeconds,
      note: `p50 ${(p50 / 1000).toFixed(2)} s, p99 ${(p99 / 1000).toFixed(2)} s; ${written.length}/${sent} writes, all done ${drainSeconds.toFixed(0)} s after the first completion`,
    };
  } finally {
    await worker.stop();
    await s.stop();
  }
}
