import type { SimEvent, SimTask, SimWebhook, SimWebhookFilter } from './store';

/**
 * Event records and filter matching (https://developers.asana.com/docs/webhooks-guide "Receiving events";
 * spec `EventResponse`, `WebhookFilter` L9064-9140): compact events `{user, created_at, action, resource, parent,
 * change}`; a filter matches on resource_type, resource_subtype, action, and `fields` (only for `changed`).
 */
const taskRef = (task: SimTask) => ({ gid: task.gid, resource_type: 'task', resource_subtype: 'default_task' });
const userRef = (gid: string) => ({ gid, resource_type: 'user' as const });

export function taskAddedEvents(task: SimTask, userGid: string, at: string): SimEvent[] {
  return task.projectGids.map((projectGid) => ({
    user: userRef(userGid),
    created_at: at,
    action: 'added',
    resource: taskRef(task),
    parent: { gid: projectGid, resource_type: 'project' },
  }));
}

export function taskChangedEvents(task: SimTask, fields: string[], userGid: string, at: string): SimEvent[] {
  return fields.map((field) => ({
    user: userRef(userGid),
    created_at: at,
    action: 'changed',
    resource: taskRef(task),
    parent: null,
    change: { field, action: 'changed' },
  }));
}

function filterMatches(filter: SimWebhookFilter, event: SimEvent): boolean {
  if (filter.resource_type && filter.resource_type !== event.resource.resource_type) return false;
  if (filter.resource_subtype && filter.resource_subtype !== event.resource.resource_subtype) return false;
  if (filter.action && filter.action !== event.action) return false;
  if (filter.fields && filter.fields.length > 0) {
    if (event.action !== 'changed' || !event.change || !filter.fields.includes(event.change.field)) return false;
  }
  return true;
}

/** Whether a webhook on `hook.resourceGid` hears an event on a task in `projectGids`. */
export function webhookHears(hook: SimWebhook, task: SimTask, event: SimEvent): boolean {
  const covers =
    hook.resourceGid === task.gid || task.projectGids.includes(hook.resourceGid) || hook.resourceGid === task.workspaceGid;
  if (!covers || !hook.active) return false;
  if (hook.filters.length === 0) return true;
  return hook.filters.some((f) => filterMatches(f, event));
}
