import type { AsanaClient } from './client';
import type { CustomFieldWrite } from './custom-field-values';
import { TASK_OPT_FIELDS } from './provider';
import { dataEnvelope, rawTaskSchema } from './schemas';
import { taskWriteFields, toAsanaTask, type AsanaTask } from './task-model';

export interface UpdateTaskInput {
  name?: string;
  notes?: string;
  assignee?: string | null;
  dueOn?: string | null;
  completed?: boolean;
  customFields?: CustomFieldWrite;
}

/**
 * PUT /tasks/{task_gid} -> 200 with the full task; "only the fields you send change" (updateTask,
 * asana_oas.yaml L48722+; https://developers.asana.com/reference/updatetask), so we send only what changed.
 */
export async function updateTask(client: AsanaClient, taskGid: string, input: UpdateTaskInput): Promise<AsanaTask> {
  const res = await client.send(
    {
      operation: 'PUT /tasks/{task_gid}',
      method: 'PUT',
      path: `/tasks/${encodeURIComponent(taskGid)}`,
      query: { opt_fields: TASK_OPT_FIELDS },
      body: { ...(input.name !== undefined ? { name: input.name } : {}), ...taskWriteFields(input) },
    },
    dataEnvelope(rawTaskSchema),
  );
  return toAsanaTask(res.body.data);
}
