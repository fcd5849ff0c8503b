import { badRequest } from './errors';
import type { AsanaStore, CustomFieldValue, SimTask } from './store';

/**
 * Validates `custom_fields: { "<field gid>": value }` on task create/update (spec `TaskRequestBase.custom_fields`,
 * asana_oas.yaml L8272-8290; https://developers.asana.com/docs/custom-fields-guide):
 * text = string (max 1,024 chars), number = number, enum = enum option GID (disabled options can only be cleared),
 * date = "YYYY-MM-DD"; `null` clears. The field must be on one of the task's projects.
 * Exact error wording is not documented (UNCONFIRMED); the 400 status is.
 */
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function validateCustomFieldWrites(
  store: AsanaStore,
  projectGids: string[],
  input: unknown,
): Map<string, CustomFieldValue> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw badRequest('custom_fields: Value is not an object');
  }
  const onProjects = new Set(
    projectGids.flatMap((p) => store.settingsForProject(p).map((s) => s.customFieldGid)),
  );
  const out = new Map<string, CustomFieldValue>();
  for (const [gid, value] of Object.entries(input as Record<string, unknown>)) {
    const field = store.customFields.get(gid);
    if (!field) throw badRequest(`custom_fields: Not a recognized ID: ${gid}`);
    if (!onProjects.has(gid)) throw badRequest(`custom_fields: Custom field with ID ${gid} is not on given object`);
    if (value === null) {
      out.set(gid, null);
      continue;
    }
    switch (field.type) {
      case 'text':
        if (typeof value !== 'string') throw badRequest(`custom_fields: Text custom field ${gid} requires a string value`);
        if (value.length > 1024) throw badRequest(`custom_fields: Text value for ${gid} is longer than 1024 characters`);
        out.set(gid, value);
        break;
      case 'number':
        if (typeof value !== 'number' || !Number.isFinite(value)) {
          throw badRequest(`custom_fields: Number custom field ${gid} requires a number value`);
        }
        out.set(gid, value);
        break;
      case 'date':
        if (typeof value !== 'string' || !DATE.test(value) || Number.isNaN(Date.parse(value))) {
          throw badRequest(`custom_fields: Date custom field ${gid} requires a date in YYYY-MM-DD format`);
        }
        out.set(gid, value);
        break;
      case 'enum': {
        const option = typeof value === 'string' ? field.enumOptions.find((o) => o.gid === value) : undefined;
        if (!option) throw badRequest(`custom_fields: Enum custom field ${gid} requires an enum option GID, got ${JSON.stringify(value)}`);
        if (!option.enabled) throw badRequest(`custom_fields: Enum option ${option.gid} is disabled and can only be cleared`);
        out.set(gid, option.gid);
        break;
      }
    }
  }
  return out;
}

export function changedCustomFields(task: SimTask, writes: Map<string, CustomFieldValue>): string[] {
  return [...writes].filter(([gid, v]) => (task.customFieldValues.get(gid) ?? null) !== v).map(([gid]) => gid);
}
