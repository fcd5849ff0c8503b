import { FLOW_VOUCHERS } from '../core/pairs/peoplesoft-asana';
import { type HistoryEvent } from './harness';
import { temporal } from '@temporalio/proto';

const T = temporal.api.enums.v1.EventType;

/** The flow name a syncWindow activity was scheduled for (its input is plain JSON), or undefined. */
export function scheduledFlow(e: HistoryEvent): string | undefined {
  const data = e.activityTaskScheduledEventAttributes?.input?.payloads?.[0]?.data;
  if (!data) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(data).toString('utf8')) as { flow?: string } | { flow?: string }[];
    return (Array.isArray(parsed) ? parsed[0] : parsed)?.flow;
  } catch {
    return undefined;
  }
}

/** Index of each poll's first event: the poll always schedules the voucher flow first. */
export function pollStarts(events: HistoryEvent[]): number[] {
  const out: number[] = [];
  events.forEach((e, i) => {
    if (e.eventType === T.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED && scheduledFlow(e) === FLOW_VOUCHERS) out.push(i);
  });
  return out;
}

export const eventMs = (e: HistoryEvent): number => (e.eventTime ? Number(e.eventTime.seconds ?? 0) * 1000 + (e.eventTime.nanos ?? 0) / 1e6 : 0);
const durationMs = (d: { seconds?: unknown; nanos?: number | null } | null | undefined) => (d ? Number(d.seconds ?? 0) * 1000 + (d.nanos ?? 0) / 1e6 : 0);

/**
 * Poll lag per scheduled poll: when the poll was due (TimerStarted time + its timeout, i.e. the workflow's
 * nextPollAt) -> when its first activity started on a worker (ActivityTaskStarted time). Polls woken early by a
 * signal have no due time and are skipped.
 */
export function pollLags(events: HistoryEvent[]): number[] {
  const lags: number[] = [];
  const timers = new Map<number, number>();
  let dueAt: number | undefined;
  let waitingFor: number | undefined;
  for (const e of events) {
    const id = Number(e.eventId ?? 0);
    if (e.eventType === T.EVENT_TYPE_TIMER_STARTED) timers.set(id, eventMs(e) + durationMs(e.timerStartedEventAttributes?.startToFireTimeout));
    else if (e.eventType === T.EVENT_TYPE_TIMER_FIRED) dueAt = timers.get(Number(e.timerFiredEventAttributes?.startedEventId ?? 0));
    else if (e.eventType === T.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED && scheduledFlow(e) === FLOW_VOUCHERS && dueAt !== undefined) {
      waitingFor = id;
    } else if (e.eventType === T.EVENT_TYPE_ACTIVITY_TASK_STARTED && waitingFor !== undefined && Number(e.activityTaskStartedEventAttributes?.scheduledEventId) === waitingFor) {
      lags.push(eventMs(e) - dueAt!);
      dueAt = undefined;
      waitingFor = undefined;
    }
  }
  return lags;
}
