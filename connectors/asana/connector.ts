import { createAsanaClient, type AsanaClientDeps } from './client';
import { asanaConfigSchema, type AsanaConfigInput } from './config';
import { createTask, type CreateTaskInput } from './create-task';
import { createWebhook, type CreateWebhookInput } from './create-webhook';
import { deleteWebhook } from './delete-webhook';
import { findTaskByExternalKey, findTasksByExternalKeys, type FindByExternalKeyOptions } from './find-task-by-external-key';
import { getCustomFieldSettings } from './get-custom-field-settings';
import { getTask } from './get-task';
import { listProjectTasks, listProjectTasksPage, type ListTasksPageInput } from './list-project-tasks';
import { listWebhooks } from './list-webhooks';
import { listWorkspaceUsers } from './list-workspace-users';
import { updateTask, type UpdateTaskInput } from './update-task';
import type { CustomFieldMapping } from './custom-field-values';
import { validateCustomFieldMapping, type MappingProblem } from './validate-mapping';

/** Everything the sync engine's Asana activities call, bound to one connection (config parsed once here). */
export function createAsanaConnector(configInput: AsanaConfigInput, deps: AsanaClientDeps = {}) {
  const client = createAsanaClient(asanaConfigSchema.parse(configInput), deps);
  return {
    client,
    /** A usable token now (refreshed if due): call before writing, so a refused OAuth grant fails the whole batch. */
    authorize: () => client.authorize(),
    createTask: (input: CreateTaskInput) => createTask(client, input),
    updateTask: (taskGid: string, input: UpdateTaskInput) => updateTask(client, taskGid, input),
    getTask: (taskGid: string) => getTask(client, taskGid),
    listProjectTasksPage: (input?: ListTasksPageInput) => listProjectTasksPage(client, input),
    listProjectTasks: (input?: Omit<ListTasksPageInput, 'offset'>) => listProjectTasks(client, input),
    findTaskByExternalKey: (keyFieldGid: string, key: string, options?: FindByExternalKeyOptions) =>
      findTaskByExternalKey(client, keyFieldGid, key, options),
    findTasksByExternalKeys: (keyFieldGid: string, keys: Iterable<string>, options?: FindByExternalKeyOptions) =>
      findTasksByExternalKeys(client, keyFieldGid, keys, options),
    getCustomFieldSettings: () => getCustomFieldSettings(client),
    /** Every user of the workspace with email and name (the roster's match). */
    listWorkspaceUsers: () => listWorkspaceUsers(client),
    /** Fetches the project's field settings and returns every problem with the mapping (empty = fine). */
    validateMapping: async (mapping: CustomFieldMapping): Promise<MappingProblem[]> =>
      validateCustomFieldMapping(mapping, await getCustomFieldSettings(client)),
    createWebhook: (input: CreateWebhookInput) => createWebhook(client, input),
    listWebhooks: (resourceGid?: string) => listWebhooks(client, resourceGid),
    deleteWebhook: (webhookGid: string) => deleteWebhook(client, webhookGid),
  };
}
export type AsanaConnector = ReturnType<typeof createAsanaConnector>;
