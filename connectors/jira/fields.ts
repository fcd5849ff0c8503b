import type { JiraClient } from './client';
import { fieldsSchema, type JiraField } from './schemas';

/** `GET /rest/api/3/field`: every system and custom field (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-fields/#api-rest-api-3-field-get). */
export async function getFields(client: JiraClient): Promise<JiraField[]> {
  return (await client.send({ operation: 'GET /rest/api/3/field', method: 'GET', path: '/rest/api/3/field' }, fieldsSchema)).body;
}

export interface ResolvedFields {
  /** Field name -> id (`customfield_10030`). */
  ids: Record<string, string>;
  /** Names that match no field, and names that match several (ambiguous: Jira allows duplicate custom field names). */
  missing: string[];
  ambiguous: string[];
}

/** Custom field ids differ per site: resolved by name when a connection is created or tested, never hard-coded. */
export function resolveFieldIds(fields: JiraField[], names: string[]): ResolvedFields {
  const out: ResolvedFields = { ids: {}, missing: [], ambiguous: [] };
  for (const name of names) {
    const hits = fields.filter((f) => f.name.toLowerCase() === name.toLowerCase());
    if (hits.length === 0) out.missing.push(name);
    else if (hits.length > 1) out.ambiguous.push(name);
    else out.ids[name] = hits[0]!.id;
  }
  return out;
}
