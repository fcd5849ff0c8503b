import type { RawTask } from './schemas';

/** A custom field value on a task, in our terms: enum as option GID, number as number, date as YYYY-MM-DD. */
export interface AsanaCustomFieldValue {
  name: string | undefined;
  type: string | undefined;
  value: string | number | null;
  displayValue: string | null;
}

/** An Asana task as the sync engine sees it. */
export interface AsanaTask {
  gid: string;
  name: string;
  notes: string;
  completed: boolean;
  completedAt: string | null;
  assigneeGid: string | null;
  dueOn: string | null;
  createdAt: string | undefined;
  modifiedAt: string | undefined;
  projectGids: string[];
  /** Keyed by custom field GID. */
  customFields: Record<string, AsanaCustomFieldValue>;
}

export function toAsanaTask(raw: RawTask): AsanaTask {
  const customFields: Record<string, AsanaCustomFieldValue> = {};
  for (const cf of raw.custom_fields ?? []) {
    const type = cf.resource_subtype ?? cf.type;
    const value =
      type === 'enum'
        ? (cf.enum_value?.gid ?? null)
        : type === 'number'
          ? (cf.number_value ?? null)
          : type === 'date'
            ? (cf.date_value?.date ?? null)
            : (cf.text_value ?? null);
    customFields[cf.gid] = { name: cf.name, type, value, displayValue: cf.display_value ?? null };
  }
  return {
    gid: raw.gid,
    name: raw.name ?? '',
    notes: raw.notes ?? '',
    completed: raw.completed ?? false,
    completedAt: raw.completed_at ?? null,
    assigneeGid: raw.assignee?.gid ?? null,
    dueOn: raw.due_on ?? null,
    createdAt: raw.created_at,
    modifiedAt: raw.modified_at,
    projectGids: (raw.memberships ?? []).flatMap((m) => (m.project ? [m.project.gid] : [])),
    customFields,
  };
}

/**
 * The optional fields of a task write, in Asana's names. Only what the caller set is sent: on PUT "only the fields
 * you send change" (https://developers.asana.com/reference/updatetask), and an empty custom_fields object is noise.
 */
export function taskWriteFields(input: {
  notes?: string;
  assignee?: string | null;
  dueOn?: string | null;
  completed?: boolean;
  customFields?: Record<string, unknown>;
}): Record<string, unknown> {
  return {
    ...(input.notes !== undefined ? { notes: input.notes } : {}),
    ...(input.assignee !== undefined ? { assignee: input.assignee } : {}),
    ...(input.dueOn !== undefined ? { due_on: input.dueOn } : {}),
    ...(input.completed !== undefined ? { completed: input.completed } : {}),
    ...(input.customFields && Object.keys(input.customFields).length > 0 ? { custom_fields: input.customFields } : {}),
  };
}
