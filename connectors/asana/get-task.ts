import type { AsanaClient } from './client';
import { TASK_OPT_FIELDS } from './provider';
import { dataEnvelope, rawTaskSchema } from './schemas';
import { toAsanaTask, type AsanaTask } from './task-model';

/** GET /tasks/{task_gid}?opt_fields=... (getTask; https://developers.asana.com/reference/gettask). */
export async function getTask(client: AsanaClient, taskGid: string): Promise<AsanaTask> {
  const res = await client.send(
    {
      operation: 'GET /tasks/{task_gid}',
      method: 'GET',
      path: `/tasks/${encodeURIComponent(taskGid)}`,
      query: { opt_fields: TASK_OPT_FIELDS },
    },
    dataEnvelope(rawTaskSchema),
  );
  return toAsanaTask(res.body.data);
}
