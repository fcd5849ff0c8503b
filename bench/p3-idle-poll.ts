/**
 * P3: actions per idle poll. One connection with nothing to sync polls every second. Polls are counted where they
 * land, at the PeopleSoft simulator (one voucher query per poll); actions are counted from every run's history plus
 * the retries of the open poll activity (DescribeWorkflowExecution), which history shows only once it closes. After
 * the first poll (webhook registration, reported to the workflow), two snapshots `polls` polls apart are compared.
 */
import { type Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { peopleSoftObjects } from '../connectors/peoplesoft/objects';
import { countActions, pendingActivityRetries, sumActions, type ActionCount } from './actions';
import { randomTaskQueue, runHistories, sleep, startWorker, until, type Services } from './harness';
import { type Result } from './report';
import { Scenario } from './scenario';

interface Snapshot {
  count: ActionCount;
  polls: number;
  events: number;
}

export async function runP3(services: Services, polls: number, log: (l: string) => void): Promise<Result> {
  const { pool, url } = await services.database('p3');
  const s = new Scenario(services, pool, url, randomTaskQueue('p3'));
  await s.setup({ vouchers: 0 });
  const worker = await startWorker(services, { taskQueue: s.taskQueue, databaseUrl: url, masterKey: s.masterKey });
  try {
    log(`P3: one idle connection, ${polls} polls every second`);
    const workflowId = await s.connect({ schedule: '@every 1s' });
    const polled = async () => (await s.psAdmin.requests())[peopleSoftObjects.voucher.operation.toUpperCase()] ?? 0;
    await until(async () => (await polled()) >= 2, 120_000, 'the first idle poll', 200);
    const first = await snapshot(services.client, workflowId, polled);
    await until(async () => (await polled()) >= first.polls + polls, polls * 10_000, `${polls} idle polls`, 500);
    const last = await snapshot(services.client, workflowId, polled);
    await services.client.workflow.getHandle(workflowId).terminate('benchmark finished');

    const n = last.polls - first.polls;
    const byKind = Object.fromEntries(
      Object.keys(last.count.byKind)
        .map((k) => [k, (last.count.byKind[k] ?? 0) - (first.count.byKind[k] ?? 0)] as const)
        .filter(([, v]) => v !== 0),
    );
    const perPoll = (last.count.total - first.count.total) / n;
    const eventsPerPoll = (last.events - first.events) / n;
    return {
      value: perPoll,
      unit: 'actions/idle poll',
      ratio: perPoll / 1.0,
      target: '<= 1.0 (sleep+activity loop: 2)',
      met: perPoll <= 1.0,
      polls: n,
      byKind,
      historyEventsPerPoll: eventsPerPoll,
      note: `per poll: ${Object.entries(byKind).map(([k, v]) => `${k} ${(v / n).toFixed(2)}`).join(', ') || 'nothing'}; ${eventsPerPoll.toFixed(1)} history events/poll; ${n} polls`,
    };
  } finally {
    await worker.stop();
    await s.stop();
  }
}

/**
 * Actions and polls at one instant: taken while the poll activity waits between attempts, and kept only if the
 * same attempt is still waiting afterwards (no attempt started, so none can have polled, in between).
 */
async function snapshot(client: Client, workflowId: string, polled: () => Promise<number>): Promise<Snapshot> {
  const handle = client.workflow.getHandle(workflowId);
  const waiting = async () => {
    const pending = (await handle.describe()).raw.pendingActivities ?? [];
    const key = pending.map((p) => `${p.activityId}/${p.attempt}/${p.state}`).join(',');
    return { pending, key, waiting: pending.length > 0 && pending.every((p) => p.state === temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_SCHEDULED) };
  };
  for (;;) {
    const before = await waiting();
    if (before.waiting) {
      const polls = await polled();
      const runs = await runHistories(client, workflowId);
      const after = await waiting();
      if (after.key === before.key) {
        const history = sumActions(runs.map(countActions));
        const retries = pendingActivityRetries(before.pending);
        const count = sumActions([history, { total: retries, byKind: retries ? { activityRetries: retries } : {}, heartbeatsEstimated: 0 }]);
        return { count, polls, events: runs.reduce((a, r) => a + r.length, 0) };
      }
    }
    await sleep(20);
  }
}
