import { temporal } from '@temporalio/proto';

const T = temporal.api.enums.v1.EventType;
const PendingState = temporal.api.enums.v1.PendingActivityState;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
type PendingActivity = temporal.api.workflow.v1.IPendingActivityInfo;

/** Billable actions of one run, by kind (so a table can say what drives the bill). */
export interface ActionCount {
  total: number;
  byKind: Record<string, number>;
  /** Not in history: estimated from activity durations (see heartbeatEstimate). Included in total. */
  heartbeatsEstimated: number;
}

/**
 * The SDK sends at most one heartbeat per 0.8 x heartbeatTimeout (our activities call heartbeat every 2 s and the
 * SDK throttles them), and Temporal Cloud bills each heartbeat the server records. History does not keep them, so
 * they are estimated from how long each attempt ran.
 */
export const HEARTBEAT_THROTTLE = 0.8;

const seconds = (d: { seconds?: unknown; nanos?: number | null } | null | undefined): number =>
  d ? Number(d.seconds ?? 0) + (d.nanos ?? 0) / 1e9 : 0;
const timeMs = (e: HistoryEvent | undefined): number => (e?.eventTime ? seconds(e.eventTime) * 1000 : 0);

/**
 * Temporal Cloud actions of one run's history (https://docs.temporal.io/cloud/actions), counted per event:
 * - workflow started (client start, signal-with-start, continue-as-new: each run's own WorkflowExecutionStarted) = 1;
 *   the ContinuedAsNew event that ends a run is not counted again (the next run's start is the action);
 * - activity scheduled = 1, plus 1 per retry: the ActivityTaskStarted event carries the final attempt number (an
 *   activity still open has no Started event yet: add pendingActivityRetries from DescribeWorkflowExecution);
 * - timer started = 1 (a `condition(fn, timeout)` starts one);
 * - signal received = 1; signal sent to another workflow = 1;
 * - update accepted = 1 (rejected updates never reach history and are not billed);
 * - upsert search attributes / memo (WorkflowPropertiesModified) = 1;
 * - local activity marker = 1; child workflow started is billed in the child's own history;
 * - workflow tasks, queries (not in history), completion and termination: not counted (queries are billable on
 *   Cloud but reads by this benchmark are not part of the sync's cost).
 * Heartbeats are added as an estimate: floor(attempt duration / (0.8 x heartbeatTimeout)) per completed attempt.
 */
export function countActions(events: HistoryEvent[]): ActionCount {
  const byKind: Record<string, number> = {};
  const add = (kind: string, n = 1) => {
    if (n > 0) byKind[kind] = (byKind[kind] ?? 0) + n;
  };
  const byId = new Map(events.map((e) => [Number(e.eventId ?? 0), e]));
  let heartbeats = 0;
  for (const e of events) {
    switch (e.eventType) {
      case T.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED:
        add('workflowStarted');
        break;
      case T.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
        add('activityScheduled');
        break;
      case T.EVENT_TYPE_ACTIVITY_TASK_STARTED: {
        const attempt = e.activityTaskStartedEventAttributes?.attempt ?? 1;
        add('activityRetries', attempt - 1);
        break;
      }
      case T.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
      case T.EVENT_TYPE_ACTIVITY_TASK_FAILED:
      case T.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT: {
        const attrs = e.activityTaskCompletedEventAttributes ?? e.activityTaskFailedEventAttributes ?? e.activityTaskTimedOutEventAttributes;
        const sched = byId.get(Number(attrs?.scheduledEventId ?? 0));
        const started = byId.get(Number(attrs?.startedEventId ?? 0));
        const hbTimeout = seconds(sched?.activityTaskScheduledEventAttributes?.heartbeatTimeout) * 1000;
        if (hbTimeout > 0 && started) heartbeats += Math.floor((timeMs(e) - timeMs(started)) / (HEARTBEAT_THROTTLE * hbTimeout));
        break;
      }
      case T.EVENT_TYPE_TIMER_STARTED:
        add('timerStarted');
        break;
      case T.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
        add('signalReceived');
        break;
      case T.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED:
        add('signalSent');
        break;
      case T.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
        add('updateAccepted');
        break;
      case T.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES:
      case T.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED:
        add('upsert');
        break;
      case T.EVENT_TYPE_MARKER_RECORDED:
        if (e.markerRecordedEventAttributes?.markerName === 'core_local_activity') add('localActivity');
        break;
      default:
        break;
    }
  }
  add('heartbeatsEstimated', heartbeats);
  const total = Object.values(byKind).reduce((a, b) => a + b, 0);
  return { total, byKind, heartbeatsEstimated: heartbeats };
}

/** Sums several runs' counts (a continue-as-new chain). */
export function sumActions(counts: ActionCount[]): ActionCount {
  const byKind: Record<string, number> = {};
  for (const c of counts) for (const [k, v] of Object.entries(c.byKind)) byKind[k] = (byKind[k] ?? 0) + v;
  return {
    total: counts.reduce((a, c) => a + c.total, 0),
    byKind,
    heartbeatsEstimated: counts.reduce((a, c) => a + c.heartbeatsEstimated, 0),
  };
}

/**
 * Retries of activities still open, which their history does not show yet: a retried activity's ActivityTaskStarted
 * event (with its attempt number) is written only when the activity closes, so one that retries as a timer has only
 * its Scheduled event until then. Attempts started = `attempt` while one runs, `attempt - 1` while it waits for the
 * next (the server counts the next attempt as soon as it schedules it); each attempt after the first is a retry.
 * Lost to both sources: retries of an activity cancelled while waiting (its Canceled event names no attempt).
 */
export function pendingActivityRetries(pending: PendingActivity[]): number {
  let retries = 0;
  for (const p of pending) {
    const attempt = p.attempt ?? 1;
    const started = p.state === PendingState.PENDING_ACTIVITY_STATE_SCHEDULED ? attempt - 1 : attempt;
    retries += Math.max(0, started - 1);
  }
  return retries;
}
