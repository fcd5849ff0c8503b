import type { AsanaClient } from './client';
import { rawCustomFieldSettingSchema, type RawCustomFieldSetting } from './schemas';

const SETTING_OPT_FIELDS = [
  'is_important',
  'project',
  'custom_field.name',
  'custom_field.type',
  'custom_field.resource_subtype',
  'custom_field.enabled',
  'custom_field.precision',
  'custom_field.enum_options',
  'custom_field.enum_options.name',
  'custom_field.enum_options.enabled',
].join(',');

/**
 * GET /projects/{project_gid}/custom_field_settings (getCustomFieldSettingsForProject, asana_oas.yaml L13527+;
 * https://developers.asana.com/reference/getcustomfieldsettingsforproject), all pages, with the field types and
 * enum options the mapping validator needs.
 */
export async function getCustomFieldSettings(client: AsanaClient): Promise<RawCustomFieldSetting[]> {
  const out: RawCustomFieldSetting[] = [];
  const call = {
    operation: 'GET /projects/{project_gid}/custom_field_settings',
    method: 'GET' as const,
    path: `/projects/${encodeURIComponent(client.config.projectGid)}/custom_field_settings`,
    query: { opt_fields: SETTING_OPT_FIELDS },
  };
  for await (const page of client.pages(call, rawCustomFieldSettingSchema)) out.push(...page);
  return out;
}
