import { type Client } from '@temporalio/client';
import { decodeArrayFromPayloads } from '@temporalio/common/lib/internal-non-workflow';
import { optionalTsToDate } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { z } from 'zod';

/** The failure streak a sync activity heartbeats (activities/failure-streak.ts FailureStreak). */
const streakDetails = z.object({ failedAttempt: z.number().int().min(1), failures: z.number().int().min(1), failingSince: z.string().datetime(), lastError: z.string() });

/** A connection's ongoing outage: a partner (or our database) failing every attempt of its sync since `since`. */
export interface PartnerOutage {
  since: string;
  failedAttempts: number;
  /** The last failure's message, e.g. the partner call and its HTTP status. */
  lastError: string;
  /** When the server runs the next attempt; absent while an attempt is running. */
  nextRetryAt?: string;
}

/** What the outage is read from: one pending activity of the sync workflow, its heartbeat already decoded. */
export interface PendingAttempt {
  /** The attempt running, or the next one while the activity waits in backoff. */
  attempt: number;
  running: boolean;
  nextAttemptAt?: Date;
  details: unknown;
}

/**
 * The outage, when the last finished attempt of a pending activity failed transiently (its streak is in the heartbeat).
 * An attempt that ended otherwise (an idle poll) or a completed activity leaves none: the outage shows cleared. Pure.
 */
export function outageOf(pending: PendingAttempt[]): PartnerOutage | undefined {
  for (const p of pending) {
    const parsed = streakDetails.safeParse(p.details);
    if (!parsed.success) continue;
    const s = parsed.data;
    // Waiting in backoff: attempt is the next one, so the streak must end right before it; running: the same.
    if (s.failedAttempt !== p.attempt - 1) continue;
    return { since: s.failingSince, failedAttempts: s.failures, lastError: s.lastError, ...(!p.running && p.nextAttemptAt ? { nextRetryAt: p.nextAttemptAt.toISOString() } : {}) };
  }
  return undefined;
}

/** The sync workflow's pending activities (decoded with the client's codec), as outageOf reads them. */
export async function partnerOutage(client: Client, workflowId: string): Promise<PartnerOutage | undefined> {
  const described = await client.workflow.getHandle(workflowId).describe();
  const pending: PendingAttempt[] = [];
  for (const activity of described.raw.pendingActivities ?? []) {
    const payloads = activity.heartbeatDetails?.payloads;
    if (!payloads?.length) continue;
    const [details] = await decodeArrayFromPayloads(client.options.loadedDataConverter, payloads);
    pending.push({
      attempt: activity.attempt ?? 1,
      running: activity.state === temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED,
      nextAttemptAt: optionalTsToDate(activity.nextAttemptScheduleTime),
      details,
    });
  }
  return outageOf(pending);
}
