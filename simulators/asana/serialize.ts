import type { Json } from './opt-fields';
import type { AsanaStore, SimCustomField, SimTask, SimWebhook } from './store';

/**
 * Full representations of the simulator's records in Asana's response shapes (spec `TaskResponse`,
 * `CustomFieldResponse`, `CustomFieldSettingResponse`, `WebhookResponse` in asana_oas.yaml). opt-fields.ts cuts
 * them down to compact or to the asked fields.
 */
const ref = (resourceType: string, gid: string, name?: string): Json =>
  name === undefined ? { gid, resource_type: resourceType } : { gid, resource_type: resourceType, name };

function userRef(store: AsanaStore, gid: string | null): Json {
  if (gid === null) return null;
  return ref('user', gid, store.users.get(gid)?.name ?? '');
}

export function customFieldDefinition(field: SimCustomField): { [key: string]: Json } {
  return {
    gid: field.gid,
    resource_type: 'custom_field',
    name: field.name,
    type: field.type,
    resource_subtype: field.type,
    representation_type: field.type,
    enabled: true,
    is_formula_field: false,
    is_value_read_only: false,
    ...(field.type === 'enum'
      ? {
          enum_options: field.enumOptions.map((o) => ({
            gid: o.gid,
            resource_type: 'enum_option',
            name: o.name,
            enabled: o.enabled,
            color: o.color,
          })),
        }
      : {}),
    ...(field.type === 'number' ? { precision: field.precision } : {}),
  };
}

/** A custom field as it appears on a task: the definition plus the typed value and `display_value`. */
export function customFieldOnTask(field: SimCustomField, value: string | number | null | undefined): Json {
  const base = customFieldDefinition(field);
  const v = value ?? null;
  switch (field.type) {
    case 'text':
      return { ...base, text_value: v as string | null, display_value: v as string | null };
    case 'number':
      return {
        ...base,
        number_value: v as number | null,
        display_value: v === null ? null : (v as number).toFixed(field.precision),
      };
    case 'date':
      return {
        ...base,
        // A date-only value answers `date_time: null`: "If no time value is selected, the value of `date-time` will be
        // `null`" (https://developers.asana.com/reference/tasks, custom_fields[].date_value; asana_oas.yaml L3082-3086,
        // whose schema types date_time as a non-nullable string: test/contract/asana-openapi.ts patches that).
        date_value: v === null ? null : { date: v as string, date_time: null },
        display_value: v as string | null,
      };
    case 'enum': {
      const option = field.enumOptions.find((o) => o.gid === v);
      return {
        ...base,
        enum_value: option
          ? { gid: option.gid, resource_type: 'enum_option', name: option.name, enabled: option.enabled, color: option.color }
          : null,
        display_value: option?.name ?? null,
      };
    }
  }
}

export function fullTask(store: AsanaStore, task: SimTask): Json {
  const workspace = store.workspaces.get(task.workspaceGid);
  const projects = task.projectGids.map((gid) => ref('project', gid, store.projects.get(gid)?.name ?? ''));
  return {
    gid: task.gid,
    resource_type: 'task',
    resource_subtype: 'default_task',
    name: task.name,
    notes: task.notes,
    completed: task.completed,
    completed_at: task.completedAt,
    completed_by: userRef(store, task.completedByGid),
    assignee: userRef(store, task.assigneeGid),
    due_on: task.dueOn,
    due_at: null,
    start_on: null,
    created_at: task.createdAt,
    modified_at: task.modifiedAt,
    created_by: ref('user', task.createdByGid),
    workspace: ref('workspace', task.workspaceGid, workspace?.name ?? ''),
    projects,
    memberships: task.projectGids.map((gid) => ({ project: ref('project', gid, store.projects.get(gid)?.name ?? '') })),
    custom_fields: store.fieldsForTask(task).map((f) => customFieldOnTask(f, task.customFieldValues.get(f.gid))),
    parent: null,
    num_subtasks: 0,
    permalink_url: `https://app.asana.com/0/${task.projectGids[0] ?? '0'}/${task.gid}`,
  };
}

export function fullCustomFieldSetting(store: AsanaStore, settingGid: string): Json {
  const setting = store.customFieldSettings.get(settingGid);
  if (!setting) return null;
  const field = store.customFields.get(setting.customFieldGid);
  const project = ref('project', setting.projectGid, store.projects.get(setting.projectGid)?.name ?? '');
  return {
    gid: setting.gid,
    resource_type: 'custom_field_setting',
    is_important: setting.isImportant,
    project,
    parent: project,
    custom_field: field ? customFieldDefinition(field) : null,
  };
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/**
 * The spec's own createWebhook example answers `last_success_at: null` before any delivery, although
 * `WebhookResponse` does not mark these fields nullable; we follow the example (what the API sends).
 */
export function fullWebhook(store: AsanaStore, hook: SimWebhook): Json {
  const name =
    store.projects.get(hook.resourceGid)?.name ??
    store.tasks.get(hook.resourceGid)?.name ??
    store.workspaces.get(hook.resourceGid)?.name ??
    '';
  return {
    gid: hook.gid,
    resource_type: 'webhook',
    active: hook.active,
    resource: { gid: hook.resourceGid, resource_type: hook.resourceType, name },
    target: hook.target,
    created_at: hook.createdAt,
    last_success_at: hook.lastSuccessAt,
    last_failure_at: hook.lastFailureAt,
    last_failure_content: hook.lastFailureContent,
    delivery_retry_count: hook.deliveryRetryCount,
    next_attempt_after: iso(hook.nextAttemptAfterMs),
    failure_deletion_timestamp: hook.failingSinceMs === null ? null : iso(hook.failingSinceMs + 24 * 3_600_000),
    filters: hook.filters.map((f) => ({ ...f }) as Json),
  };
}
