import { temporal } from '@temporalio/proto';
import { pauseSignal, resumeSignal, updateConfigUpdate, webhookEventsSignal } from '../../core/sync-messages';
import { type PollRequest } from '../../core/sync-types';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { PayloadEncryptionCodec } from '../../runtime/payload-codec';
import { getPollLedger } from '../../db/poll-ledgers';
import { testMasterKey } from '../support/env';
import { eventually } from '../support/worker-process';
import { engineSuite, type EngineScenario, recordHistory } from './engine-harness';

const DAY = 86_400_000;
const E = temporal.api.enums.v1.EventType;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The poll as one long-lived activity whose retries wait for the schedule: what an idle connection costs, and how
 * signals still get through. Real Temporal dev server, PostgreSQL and worker process; the test partner is the source.
 */
describe('the poll activity: retries as the schedule’s timer', () => {
  const suite = engineSuite('poll-activity');
  const scenario = suite.scenario;
  const flow = { overlapMs: 0, maxWindowMs: 2 * DAY, initialFrom: new Date(Date.now() - DAY).toISOString() };

  const sourceReads = (s: EngineScenario) => s.partner.requests.filter((r) => r.method === 'GET' && r.path === '/source/records').length;
  const history = async (s: EngineScenario): Promise<HistoryEvent[]> => (await s.handle!.fetchHistory()).events ?? [];
  const pending = async (s: EngineScenario) => (await s.handle!.describe()).raw.pendingActivities ?? [];
  // History holds payloads and failure messages encrypted (runtime/payload-codec.ts): read them as the UI would.
  const codec = new PayloadEncryptionCodec(testMasterKey());
  const decoded = async (p: Payload) => defaultPayloadConverter.fromPayload((await codec.decode([p]))[0]!);
  const pollRequests = async (events: HistoryEvent[]): Promise<Array<{ id: number; request: PollRequest }>> =>
    Promise.all(
      events
        .filter((e) => e.eventType === E.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED && e.activityTaskScheduledEventAttributes?.activityType?.name === 'pollFlows')
        .map(async (e) => ({ id: Number(e.eventId), request: (await decoded(e.activityTaskScheduledEventAttributes!.input!.payloads![0]! as Payload)) as PollRequest })),
    );
  const failureMessage = async (f: temporal.api.failure.v1.IFailure | null | undefined): Promise<string> =>
    f?.encodedAttributes ? ((await decoded(f.encodedAttributes as Payload)) as { message: string }).message : (f?.message ?? '');
  const firstPoll = async (s: EngineScenario) => eventually(async () => (await s.status()).totals.polls >= 1 && (await s.status()).state === 'idle', 120_000, 'the first poll');

  it('polls an idle connection with attempts of one activity: no timer and no history event per poll, and the idle polls are counted when a poll returns', async () => {
    const s = scenario();
    s.partner.seed(5, new Date(Date.now() - DAY / 2), DAY / 4);
    await s.start({ flow, schedule: '@every 1s' });
    await firstPoll(s);
    expect(s.partner.entries.size).toBe(5);
    const eventsAfterFirst = (await history(s)).length;
    const readsAfterFirst = sourceReads(s);

    await eventually(async () => sourceReads(s) >= readsAfterFirst + 5, 60_000, 'five idle polls');
    const events = await history(s);
    expect(events.length).toBe(eventsAfterFirst);
    expect(events.filter((e) => e.eventType === E.EVENT_TYPE_TIMER_STARTED)).toEqual([]);
    const [poll] = await pending(s);
    expect(poll?.activityType?.name).toBe('pollFlows');
    // Attempt 1 waited for the next poll time; each later one polled (and found nothing).
    expect(poll!.attempt).toBeGreaterThanOrEqual(6);
    expect((await getPollLedger(suite.db.pool, s.connectionId))!.unreported_polls).toBeGreaterThanOrEqual(5);

    const readsBefore = sourceReads(s);
    await s.handle!.signal('pollNow');
    const status = await eventually(async () => {
      const st = await s.status();
      return st.totals.polls > 1 && st.state === 'idle' && st;
    }, 60_000, 'the asked-for poll');
    // Every poll read the source once: the first, the idle ones the ledger held, and the asked-for one.
    expect(status.totals.polls).toBeGreaterThanOrEqual(readsBefore + 1);
    expect(status.totals.polls).toBeLessThanOrEqual(sourceReads(s));
    expect(s.partner.creates).toBe(5);
  });

  it('handles a webhook event at once while the poll waits an hour: the poll is cancelled and closed before the inbox activity is scheduled', async () => {
    const s = scenario();
    s.partner.seed(3, new Date(Date.now() - DAY / 2), DAY / 4);
    await s.start({ flow, schedule: '@every 1h' });
    await firstPoll(s);
    await eventually(async () => (await pending(s)).some((p) => p.activityType?.name === 'pollFlows' && p.attempt! >= 2), 60_000, 'the poll waiting for the next hour');

    await s.handle!.signal(webhookEventsSignal, [{ eventId: 'evt-1', partner: 'test-partner', kind: 'entry.changed', resourceId: 'REC-000001', receivedAt: new Date().toISOString() }]);
    await eventually(async () => (await s.status()).totals.inboxEvents === 1 && (await s.status()).state === 'idle', 60_000, 'the event handled');
    expect(s.partner.acknowledged).toEqual(['evt-1']);

    const events = await history(s);
    const polls = await pollRequests(events);
    const waiting = polls[1]!;
    const closed = events.find((e) => e.eventType === E.EVENT_TYPE_ACTIVITY_TASK_CANCELED && Number(e.activityTaskCanceledEventAttributes?.scheduledEventId) === waiting.id);
    const inbox = events.find((e) => e.eventType === E.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED && e.activityTaskScheduledEventAttributes?.activityType?.name === 'handleInboxEvents');
    expect(closed).toBeDefined();
    expect(Number(inbox!.eventId)).toBeGreaterThan(Number(closed!.eventId));
    // The poll is asked for again after the inbox, still waiting for the hour (not polling now).
    expect(polls.length).toBe(3);
    expect(polls[2]!.id).toBeGreaterThan(Number(inbox!.eventId));
    expect(polls[2]!.request.report).toBe(false);
    expect(events.filter((e) => e.eventType === E.EVENT_TYPE_TIMER_STARTED)).toEqual([]);
    await recordHistory('engine-webhook-during-poll-wait', s.handle!, suite.client);
  });

  it('keeps polls and inbox work exclusive when an event arrives while a scheduled poll is writing, and loses or duplicates nothing', async () => {
    const s = scenario();
    await s.start({ flow, schedule: '@every 2s' });
    await firstPoll(s);
    let signalled = false;
    s.partner.onCreate = async (n) => {
      if (n !== 300 || signalled) return;
      signalled = true;
      await s.handle!.signal(webhookEventsSignal, [{ eventId: 'evt-busy', partner: 'test-partner', kind: 'entry.changed', resourceId: 'REC-000002', receivedAt: new Date().toISOString() }]);
    };
    // New source records for the next scheduled poll, enough to keep its attempt writing for a while.
    s.partner.seed(1_500, new Date(), 1);
    await eventually(async () => s.partner.entries.size === 1_500 && (await s.status()).totals.inboxEvents === 1 && (await s.status()).state === 'idle', 240_000, 'all entries and the event');
    expect(s.partner.duplicates()).toEqual([]);
    expect(s.partner.acknowledged).toEqual(['evt-busy']);
    expect((await s.linkedKeys()).size).toBe(1_500);

    // The writing poll was cancelled (or had finished) and had closed before the inbox activity was scheduled.
    const events = await history(s);
    const inbox = events.find((e) => e.eventType === E.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED && e.activityTaskScheduledEventAttributes?.activityType?.name === 'handleInboxEvents')!;
    const before = (await pollRequests(events)).filter((p) => p.id < Number(inbox.eventId));
    expect(before.at(-1)!.request.report).toBe(false);
    const closes = [E.EVENT_TYPE_ACTIVITY_TASK_COMPLETED, E.EVENT_TYPE_ACTIVITY_TASK_FAILED, E.EVENT_TYPE_ACTIVITY_TASK_CANCELED, E.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT];
    for (const p of before) {
      const close = events.find((e) => closes.includes(e.eventType!) && Number((e.activityTaskCompletedEventAttributes ?? e.activityTaskFailedEventAttributes ?? e.activityTaskCanceledEventAttributes ?? e.activityTaskTimedOutEventAttributes)?.scheduledEventId) === p.id);
      expect(close).toBeDefined();
      expect(Number(close!.eventId)).toBeLessThan(Number(inbox.eventId));
    }
    await recordHistory('engine-event-during-writing-poll', s.handle!, suite.client);
  }, 300_000);

  it('backs a transient error off from 1 s even after many idle polls (which raise the attempt number), and still polls on schedule after it', async () => {
    const s = scenario();
    await s.start({ flow, schedule: '@every 5s' });
    await firstPoll(s);
    await eventually(async () => (await pending(s))[0]!.attempt! >= 4, 120_000, 'a few idle polls');
    const ms = (t: { seconds?: unknown; nanos?: number | null } | null | undefined) => Number(t?.seconds ?? 0) * 1000 + (t?.nanos ?? 0) / 1e6;
    const delays: number[] = [];
    s.partner.sourceUnavailable = 2;
    for (const nth of [1, 2]) {
      // The delay the server scheduled for the retry after the nth failure in a row.
      const p = await eventually(async () => {
        const [poll] = await pending(s);
        return (await failureMessage(poll?.lastFailure)).includes('503') && poll!.state === temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_SCHEDULED && poll;
      }, 60_000, `failure ${nth}`);
      delays.push(ms(p.nextAttemptScheduleTime) - ms(p.lastAttemptCompleteTime));
      // The next failure is seen once the attempt number moves on (it counts the attempt after each failure).
      if (nth === 1) await eventually(async () => (await pending(s))[0]!.attempt! > p.attempt!, 60_000, 'the retry');
    }
    // The server's own backoff at these attempt numbers would be 8 s and more; the idle wait is 5 s.
    expect(delays[0]).toBeGreaterThanOrEqual(900);
    expect(delays[0]).toBeLessThan(2_000);
    expect(delays[1]).toBeGreaterThanOrEqual(1_900);
    expect(delays[1]).toBeLessThan(3_000);
    const reads = sourceReads(s);
    await eventually(async () => sourceReads(s) >= reads + 2, 60_000, 'idle polls again');
    expect((await s.status()).progress['test-records-to-entries']!.lastError).toBeUndefined();
  }, 180_000);

  it('stops polling while paused (no poll activity open) and applies a new schedule from updateConfig at once', async () => {
    const s = scenario();
    await s.start({ flow, schedule: '@every 1s' });
    await firstPoll(s);
    await eventually(async () => sourceReads(s) >= 3, 60_000, 'idle polls');

    await s.handle!.signal(pauseSignal);
    await eventually(async () => (await s.status()).state === 'paused' && (await pending(s)).length === 0, 60_000, 'paused with no poll open');
    const readsPaused = sourceReads(s);
    await sleep(3_000);
    expect(sourceReads(s)).toBe(readsPaused);
    await s.handle!.signal(resumeSignal);
    await eventually(async () => sourceReads(s) >= readsPaused + 2, 60_000, 'polls after resume');

    // An hourly schedule: the pending poll is asked again with it, and waits.
    await s.handle!.executeUpdate(updateConfigUpdate, { args: [{ schedule: '@every 1h' }] });
    await eventually(async () => (await pollRequests(await history(s))).at(-1)!.request.schedule === '@every 1h', 60_000, 'the poll asked again with the new schedule');
    const readsHourly = sourceReads(s);
    await sleep(3_000);
    expect(sourceReads(s)).toBeLessThanOrEqual(readsHourly + 1);
    // And back to every second: polling resumes without waiting for the hour.
    await s.handle!.executeUpdate(updateConfigUpdate, { args: [{ schedule: '@every 1s' }] });
    await eventually(async () => sourceReads(s) >= readsHourly + 3, 60_000, 'polls on the new schedule');
    expect((await history(s)).filter((e) => e.eventType === E.EVENT_TYPE_TIMER_STARTED)).toEqual([]);
    await recordHistory('engine-pause-and-schedule-change', s.handle!, suite.client);
  }, 180_000);
});
