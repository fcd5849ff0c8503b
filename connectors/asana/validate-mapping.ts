import type { CustomFieldMapping } from './custom-field-values';
import type { RawCustomFieldSetting } from './schemas';

export interface MappingProblem {
  logicalField: string;
  fieldGid: string;
  message: string;
}

/**
 * Checks a customer's mapping against the project's custom field settings (GET /projects/{gid}/custom_field_settings)
 * before any write, and returns every problem at once so a platform engineer can fix the mapping in one go.
 * A field must be on the project for a task in it to carry a value (custom fields guide).
 */
export function validateCustomFieldMapping(mapping: CustomFieldMapping, settings: RawCustomFieldSetting[]): MappingProblem[] {
  const problems: MappingProblem[] = [];
  const byGid = new Map(settings.map((s) => [s.custom_field.gid, s.custom_field]));
  for (const [logicalField, entry] of Object.entries(mapping)) {
    const report = (message: string) => problems.push({ logicalField, fieldGid: entry.fieldGid, message });
    const field = byGid.get(entry.fieldGid);
    if (!field) {
      report(`custom field ${entry.fieldGid} is not on the project (known: ${[...byGid.keys()].join(', ') || 'none'})`);
      continue;
    }
    const label = `"${field.name ?? entry.fieldGid}" (${entry.fieldGid})`;
    const actualType = field.resource_subtype ?? field.type;
    if (actualType !== entry.type) {
      report(`${label} is a ${actualType ?? 'unknown'} field in Asana, but the mapping expects ${entry.type}`);
      continue;
    }
    if (field.enabled === false) report(`${label} is disabled in Asana: values can only be cleared`);
    if (entry.type !== 'enum') {
      if (entry.enumOptions) report(`${label} is not an enum field, but the mapping lists enum options`);
      continue;
    }
    const mapped = Object.entries(entry.enumOptions ?? {});
    if (mapped.length === 0) report(`${label} is an enum field; map each source value to an enum option GID`);
    const options = new Map((field.enum_options ?? []).map((o) => [o.gid, o]));
    for (const [sourceValue, optionGid] of mapped) {
      const option = options.get(optionGid);
      const choices = [...options.values()].map((o) => `${o.name ?? '?'}=${o.gid}`).join(', ');
      if (!option) report(`${label}: value "${sourceValue}" maps to option ${optionGid}, which is not an option of the field (options: ${choices})`);
      else if (option.enabled === false) report(`${label}: value "${sourceValue}" maps to option "${option.name ?? optionGid}", which is disabled`);
    }
  }
  return problems;
}
