import type { AsanaClient } from './client';
import { listProjectTasks } from './list-project-tasks';
import type { AsanaTask } from './task-model';

export interface FindByExternalKeyOptions {
  /**
   * When the create was attempted (the intent row's time) minus a margin: the task we might have created is modified
   * at or after it, which narrows the listing to a few pages. Omit to scan the whole project.
   */
  modifiedSince?: Date;
}

/**
 * Finds the task carrying our external key in a text custom field, to recover a create whose answer was lost.
 *
 * Why not the search API (GET /workspaces/{gid}/tasks/search?custom_fields.<gid>.value=)? Its own docs
 * (searchTasksForWorkspace, asana_oas.yaml; https://developers.asana.com/reference/searchtasksforworkspace) say it is
 * premium-only (402 otherwise), eventually consistent ("between 10 and 60 seconds", "not suited for use cases that
 * require immediate consistency after writes ... we recommend using Get multiple tasks instead") and limited to
 * 60 requests/min. Recovery runs seconds after the crash, exactly when search would miss the task and we would create
 * a duplicate. So we read the strongly consistent listing GET /tasks?project=&modified_since= with custom fields.
 * The `external` field (external.gid) would be ideal but works only with OAuth apps (spec L7723-7747), not PATs.
 *
 * Several matches mean an earlier duplicate: the oldest one is returned (it is the one links should point at).
 */
export async function findTaskByExternalKey(
  client: AsanaClient,
  keyFieldGid: string,
  key: string,
  options: FindByExternalKeyOptions = {},
): Promise<AsanaTask | undefined> {
  return (await findTasksByExternalKeys(client, keyFieldGid, [key], options)).get(key);
}

/**
 * The same for many keys with one listing: after a crash up to a page of records has an intent and no link, and a
 * listing per record read the same tasks once per record (hundreds of pages per restart, at Asana's rate limit).
 */
export async function findTasksByExternalKeys(
  client: AsanaClient,
  keyFieldGid: string,
  keys: Iterable<string>,
  options: FindByExternalKeyOptions = {},
): Promise<Map<string, AsanaTask>> {
  const wanted = new Set(keys);
  const found = new Map<string, AsanaTask>();
  const older = (a: AsanaTask, b: AsanaTask) => (a.createdAt ?? '').localeCompare(b.createdAt ?? '') || a.gid.localeCompare(b.gid);
  for await (const page of listProjectTasks(client, { modifiedSince: options.modifiedSince })) {
    for (const task of page) {
      const key = task.customFields[keyFieldGid]?.value;
      if (typeof key !== 'string' || !wanted.has(key)) continue;
      const seen = found.get(key);
      if (!seen || older(task, seen) < 0) found.set(key, task);
    }
  }
  return found;
}
