/**
 * P3: actions per idle poll. One connection with nothing to sync polls every second; the first poll (webhook
 * registration) is excluded, and the actions of the next `polls` polls are counted from the history between the
 * first activity of poll 2 and the first activity of poll 2 + polls.
 */
import { countActions } from './actions';
import { randomTaskQueue, runHistories, startWorker, until, type Services } from './harness';
import { pollStarts } from './poll-history';
import { type Result } from './report';
import { Scenario } from './scenario';

export async function runP3(services: Services, polls: number, log: (l: string) => void): Promise<Result> {
  const { pool, url } = await services.database('p3');
  const s = new Scenario(services, pool, url, randomTaskQueue('p3'));
  await s.setup({ vouchers: 0 });
  const worker = await startWorker(services, { taskQueue: s.taskQueue, databaseUrl: url, masterKey: s.masterKey });
  try {
    log(`P3: one idle connection, ${polls} polls every second`);
    const workflowId = await s.connect({ schedule: '@every 1s' });
    const runs = await until(async () => {
      const r = await runHistories(services.client, workflowId);
      return pollStarts(r[r.length - 1]!).length >= polls + 2 && r;
    }, polls * 10_000, `${polls} idle polls`, 1000);
    await services.client.workflow.getHandle(workflowId).terminate('benchmark finished');
    if (runs.length > 1) log('P3: the run continued as new during the measurement; counting the last run only');
    const events = runs[runs.length - 1]!;
    const starts = pollStarts(events);
    const slice = events.slice(starts[1], starts[1 + polls]);
    const c = countActions(slice);
    const perPoll = c.total / polls;
    return {
      value: perPoll,
      unit: 'actions/idle poll',
      ratio: perPoll / 1.0,
      target: '<= 1.0 (sleep+activity loop: 2)',
      met: perPoll <= 1.0,
      polls,
      byKind: c.byKind,
      historyEventsPerPoll: slice.length / polls,
      note: `per poll: ${Object.entries(c.byKind).map(([k, v]) => `${k} ${(v / polls).toFixed(2)}`).join(', ')}; ${(slice.length / polls).toFixed(1)} history events/poll`,
    };
  } finally {
    await worker.stop();
    await s.stop();
  }
}
