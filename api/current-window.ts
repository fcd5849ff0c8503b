import { type Client } from '@temporalio/client';
import { decodeArrayFromPayloads } from '@temporalio/common/lib/internal-non-workflow';
import { temporal } from '@temporalio/proto';
import { z } from 'zod';

/** What the window activity reports in its heartbeats while it runs (activities/poll-attempt.ts PollHeartbeat). */
const windowHeartbeat = z.object({ flow: z.string().min(1), fetched: z.number().int().min(0), done: z.number().int().min(0) });
export type CurrentWindow = z.infer<typeof windowHeartbeat> & { attempt: number };

/**
 * The window a connection is syncing right now, from the running activity's last heartbeat (pending activities of the
 * workflow, decoded with the client's codec): records fetched and done (written or found unchanged) so far. Undefined
 * when nothing is running or the activity has not heartbeaten a window yet (an idle poll waiting for its time).
 */
export async function currentWindow(client: Client, workflowId: string): Promise<CurrentWindow | undefined> {
  const described = await client.workflow.getHandle(workflowId).describe();
  for (const activity of described.raw.pendingActivities ?? []) {
    // A poll waiting for its next time (an idle retry) still carries its last attempt's heartbeat: not running.
    if (activity.state !== temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED) continue;
    const payloads = activity.heartbeatDetails?.payloads;
    if (!payloads?.length) continue;
    const [details] = await decodeArrayFromPayloads(client.options.loadedDataConverter, payloads);
    const parsed = windowHeartbeat.safeParse(details);
    if (parsed.success) return { ...parsed.data, attempt: activity.attempt ?? 1 };
  }
  return undefined;
}
