import { isAdfDoc } from './adf';
import type { JiraStore, SimField } from './store';

/**
 * Checks and normalises one field value on create/edit the way Jira Cloud REST v3 does
 * (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-post, "fields"):
 * rich text (description, textarea custom fields) must be an ADF document, a single-line text field takes a plain
 * string of at most 255 characters, a select takes `{"value"}` or `{"id"}` of an existing option, dates are
 * "yyyy-MM-dd". The error texts are Jira's own (e.g. the well-known "Operation value must be an Atlassian Document").
 */
const NOT_ADF = 'Operation value must be an Atlassian Document (see the Atlassian Document Format)';
const SETTABLE_SYSTEM = new Set(['summary', 'description', 'duedate']);

export type FieldResult = { ok: true; value: unknown } | { ok: false; message: string };

export function checkFieldValue(store: JiraStore, fieldId: string, value: unknown): FieldResult {
  const field: SimField | undefined = store.fields.get(fieldId);
  if (!field || (!field.custom && !SETTABLE_SYSTEM.has(fieldId))) {
    return { ok: false, message: `Field '${fieldId}' cannot be set. It is not on the appropriate screen, or unknown.` };
  }
  if (value === null) return fieldId === 'summary' ? { ok: false, message: 'You must specify a summary of the issue.' } : { ok: true, value: null };
  if (fieldId === 'summary') {
    if (typeof value !== 'string' || value.trim() === '') return { ok: false, message: 'You must specify a summary of the issue.' };
    if (value.length > 255) return { ok: false, message: 'Summary must be less than 255 characters.' };
    return { ok: true, value };
  }
  if (fieldId === 'description' || field.type === 'textarea') return isAdfDoc(value) ? { ok: true, value } : { ok: false, message: NOT_ADF };
  if (fieldId === 'duedate' || field.type === 'datepicker') {
    return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value))
      ? { ok: true, value }
      : { ok: false, message: `Error parsing date string: ${String(value)}` };
  }
  switch (field.type) {
    case 'textfield':
      if (typeof value !== 'string') return { ok: false, message: 'Operation value must be a string' };
      if (value.length > 255) return { ok: false, message: 'The entered text is too long. It exceeds the allowed limit of 255 characters.' };
      return { ok: true, value };
    case 'float':
      return typeof value === 'number' && Number.isFinite(value) ? { ok: true, value } : { ok: false, message: 'Operation value must be a number' };
    case 'select': {
      const v = value as { value?: unknown; id?: unknown };
      const option = field.options?.find((o) => (v.id !== undefined ? o.id === v.id : o.value === v.value));
      if (typeof value !== 'object' || !option) return { ok: false, message: `Option value '${String(v?.value ?? v?.id ?? value)}' is not valid` };
      return { ok: true, value: option };
    }
    default:
      return { ok: false, message: `Field '${fieldId}' cannot be set. It is not on the appropriate screen, or unknown.` };
  }
}

/** Checks every field; returns the normalised values or Jira's `errors` map (field -> message). */
export function checkFields(store: JiraStore, fields: Record<string, unknown>, skip: string[] = []): { values: Record<string, unknown>; errors: Record<string, string> } {
  const values: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const [id, raw] of Object.entries(fields)) {
    if (skip.includes(id)) continue;
    const r = checkFieldValue(store, id, raw);
    if (r.ok) values[id] = r.value;
    else errors[id] = r.message;
  }
  return { values, errors };
}
