import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { FlowSettings, InboxEvent, ReplayFilter, ReplaySummary, SyncStatus } from './sync-types';

/** Signals, updates and queries of every sync pair's workflow, defined once for the workflow and its clients. */
export const pollNowSignal = defineSignal('pollNow');
export const pauseSignal = defineSignal('pause');
export const resumeSignal = defineSignal('resume');
/** Every event of one partner delivery in one signal: one billable action and one history event per delivery. */
export const webhookEventsSignal = defineSignal<[InboxEvent[]]>('webhookEvents');
export const replayDeadLettersUpdate = defineUpdate<ReplaySummary, [ReplayFilter]>('replayDeadLetters');
export const updateConfigUpdate = defineUpdate<{ schedule: string; flows: string[] }, [{ schedule?: string; flows?: FlowSettings[] }]>('updateConfig');
export const statusQuery = defineQuery<SyncStatus>('status');

/** Workflow id of a connection's sync: one long-running workflow per connection. */
export function syncWorkflowId(connectionId: string): string {
  return `connection/${connectionId}`;
}
