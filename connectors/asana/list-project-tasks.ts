import type { AsanaClient, AsanaCall } from './client';
import { TASK_OPT_FIELDS } from './provider';
import { rawTaskSchema } from './schemas';
import { toAsanaTask, type AsanaTask } from './task-model';

export interface ListTasksPageInput {
  /** Only tasks modified at or after this instant (the sync watermark minus an overlap). */
  modifiedSince?: Date;
  /** 1..100 (spec `components.parameters.limit`). */
  limit?: number;
  /** The opaque token from the previous page; tokens expire, so restart from the watermark if one is refused. */
  offset?: string;
}

export interface TasksPage {
  tasks: AsanaTask[];
  nextOffset: string | undefined;
}

/**
 * The project's tasks, optionally only those modified since a time:
 * GET /tasks?project=<gid>&modified_since=<iso> (getTasks: "Only return tasks that have been modified since the given
 * time"; https://developers.asana.com/reference/gettasks). Without modified_since the same listing is
 * GET /projects/{gid}/tasks (getTasksForProject). Always paginated with `limit`, always with opt_fields, because lists
 * are compact by default and would drop custom field values.
 */
function call(client: AsanaClient, modifiedSince: Date | undefined): AsanaCall {
  const projectGid = client.config.projectGid;
  return modifiedSince
    ? {
        operation: 'GET /tasks',
        method: 'GET',
        path: '/tasks',
        query: { project: projectGid, modified_since: modifiedSince.toISOString(), opt_fields: TASK_OPT_FIELDS },
      }
    : {
        operation: 'GET /projects/{project_gid}/tasks',
        method: 'GET',
        path: `/projects/${encodeURIComponent(projectGid)}/tasks`,
        query: { opt_fields: TASK_OPT_FIELDS },
      };
}

/** One page: what one sync activity fetches, so records never travel through workflow history in bulk. */
export async function listProjectTasksPage(client: AsanaClient, input: ListTasksPageInput = {}): Promise<TasksPage> {
  const page = await client.page(call(client, input.modifiedSince), rawTaskSchema, { limit: input.limit, offset: input.offset });
  return { tasks: page.items.map(toAsanaTask), nextOffset: page.nextOffset };
}

/** Every page, following next_page until it is null. */
export async function* listProjectTasks(
  client: AsanaClient,
  input: Omit<ListTasksPageInput, 'offset'> = {},
): AsyncGenerator<AsanaTask[], void, void> {
  for await (const items of client.pages(call(client, input.modifiedSince), rawTaskSchema, input.limit ?? 100)) {
    yield items.map(toAsanaTask);
  }
}
