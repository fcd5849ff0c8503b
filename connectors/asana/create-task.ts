import type { AsanaClient } from './client';
import type { CustomFieldWrite } from './custom-field-values';
import { TASK_OPT_FIELDS } from './provider';
import { dataEnvelope, rawTaskSchema } from './schemas';
import { taskWriteFields, toAsanaTask, type AsanaTask } from './task-model';

export interface CreateTaskInput {
  name: string;
  notes?: string;
  assignee?: string | null;
  dueOn?: string | null;
  completed?: boolean;
  customFields?: CustomFieldWrite;
}

/**
 * POST /tasks -> 201 {data}. The workspace is implied by `projects` (createTask, asana_oas.yaml L47934+;
 * https://developers.asana.com/reference/createtask). Asana has no idempotency key: callers record an intent first
 * and recover a lost answer with findTaskByExternalKey.
 */
export async function createTask(client: AsanaClient, input: CreateTaskInput): Promise<AsanaTask> {
  const res = await client.send(
    {
      operation: 'POST /tasks',
      method: 'POST',
      path: '/tasks',
      query: { opt_fields: TASK_OPT_FIELDS },
      body: { name: input.name, projects: [client.config.projectGid], ...taskWriteFields(input) },
    },
    dataEnvelope(rawTaskSchema),
  );
  return toAsanaTask(res.body.data);
}
