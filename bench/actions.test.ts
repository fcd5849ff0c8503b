import { temporal } from '@temporalio/proto';
import { countActions, pendingActivityRetries, sumActions } from './actions';

const T = temporal.api.enums.v1.EventType;
const P = temporal.api.enums.v1.PendingActivityState;
type Ev = temporal.api.history.v1.IHistoryEvent;
type Long = NonNullable<Ev['eventId']>;
/** Protobuf int64 fields are Long in the types; plain numbers are what the decoder gives for small values. */
const long = (v: number) => v as unknown as Long;
let nextId = 1;
const at = (s: number) => ({ seconds: long(s), nanos: 0 });
const ev = (eventType: temporal.api.enums.v1.EventType, s: number, extra: Partial<Ev> = {}): Ev => ({ eventId: long(nextId++), eventType, eventTime: at(s), ...extra });

describe('countActions (Temporal Cloud action rules over a history)', () => {
  beforeEach(() => {
    nextId = 1;
  });

  it('counts start, signals, timers, activities with retries, updates and upserts; never workflow tasks', () => {
    const events: Ev[] = [
      ev(T.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, 0),
      ev(T.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED, 0),
      ev(T.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, 0),
      ev(T.EVENT_TYPE_WORKFLOW_TASK_STARTED, 0),
      ev(T.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, 0),
      ev(T.EVENT_TYPE_TIMER_STARTED, 0),
      ev(T.EVENT_TYPE_TIMER_FIRED, 5),
      ev(T.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED, 5, { activityTaskScheduledEventAttributes: { heartbeatTimeout: { seconds: long(20) } } }),
    ];
    // Third attempt succeeded after 40 s: 2 retries, and 40 / 16 = 2 throttled heartbeats.
    const started = ev(T.EVENT_TYPE_ACTIVITY_TASK_STARTED, 10, { activityTaskStartedEventAttributes: { attempt: 3 } });
    events.push(started);
    events.push(ev(T.EVENT_TYPE_ACTIVITY_TASK_COMPLETED, 50, { activityTaskCompletedEventAttributes: { scheduledEventId: long(8), startedEventId: started.eventId } }));
    events.push(ev(T.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED, 51));
    events.push(ev(T.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES, 51));
    events.push(ev(T.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW, 52));

    const c = countActions(events);
    expect(c.byKind).toEqual({
      workflowStarted: 1,
      signalReceived: 1,
      timerStarted: 1,
      activityScheduled: 1,
      activityRetries: 2,
      updateAccepted: 1,
      upsert: 1,
      heartbeatsEstimated: 2,
    });
    expect(c.total).toBe(10);
  });

  it('sums a continue-as-new chain run by run', () => {
    const run = [ev(T.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, 0), ev(T.EVENT_TYPE_TIMER_STARTED, 0)];
    const total = sumActions([countActions(run), countActions(run)]);
    expect(total.total).toBe(4);
    expect(total.byKind).toEqual({ workflowStarted: 2, timerStarted: 2 });
  });

  it('counts the retries of an open activity from its attempt number: started ones only, the first is not a retry', () => {
    expect(pendingActivityRetries([])).toBe(0);
    expect(pendingActivityRetries([{ state: P.PENDING_ACTIVITY_STATE_SCHEDULED, attempt: 1 }])).toBe(0);
    expect(pendingActivityRetries([{ state: P.PENDING_ACTIVITY_STATE_STARTED, attempt: 1 }])).toBe(0);
    // Attempt 7 is scheduled (waiting): 6 attempts ran, 5 of them retries.
    expect(pendingActivityRetries([{ state: P.PENDING_ACTIVITY_STATE_SCHEDULED, attempt: 7 }])).toBe(5);
    expect(pendingActivityRetries([{ state: P.PENDING_ACTIVITY_STATE_STARTED, attempt: 7 }, { state: P.PENDING_ACTIVITY_STATE_CANCEL_REQUESTED, attempt: 2 }])).toBe(7);
  });
});
