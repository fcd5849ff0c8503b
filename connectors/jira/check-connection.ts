import { z } from 'zod';
import type { JiraClient } from './client';
import { getFields, resolveFieldIds, type ResolvedFields } from './fields';
import { statusRefSchema } from './schemas';

/** `GET /rest/api/3/project/{key}/statuses` (spec getAllStatuses): each issue type with its workflow's statuses. */
const projectStatusesSchema = z.array(z.object({ id: z.string(), name: z.string(), statuses: z.array(statusRefSchema) }).loose());

export interface ConnectionCheckInput {
  /** Custom field names the mapping writes (resolved to ids here). */
  customFieldNames: string[];
  /** Issue type name -> the Jira statuses the sync will move its issues to. */
  targetStatuses: Record<string, string[]>;
}

export interface ConnectionCheck {
  fields: ResolvedFields;
  issueTypeIds: Record<string, string>;
  problems: string[];
}

/**
 * What `mlc connections test` reports for the Jira side: the project and issue types exist, every mapped custom field
 * exists exactly once (ids resolved by name), and every target status is in the issue type's workflow (a status not in
 * the workflow can never be reached by a transition). Each problem names what to fix.
 */
export async function checkConnection(client: JiraClient, input: ConnectionCheckInput): Promise<ConnectionCheck> {
  const problems: string[] = [];
  const fields = resolveFieldIds(await getFields(client), input.customFieldNames);
  for (const name of fields.missing) problems.push(`Jira custom field '${name}' is missing: create it (and add it to the project's screens) or fix the mapping.`);
  for (const name of fields.ambiguous) problems.push(`Jira has several custom fields named '${name}': rename all but one.`);
  const key = client.config.projectKey;
  const types = await client.send({ operation: 'GET /rest/api/3/project/{key}/statuses', method: 'GET', path: `/rest/api/3/project/${encodeURIComponent(key)}/statuses` }, projectStatusesSchema);
  const issueTypeIds: Record<string, string> = {};
  for (const [typeName, targets] of Object.entries(input.targetStatuses)) {
    const type = types.body.find((t) => t.name.toLowerCase() === typeName.toLowerCase());
    if (!type) {
      problems.push(`Jira project ${key} has no issue type '${typeName}': add it to the project's issue type scheme or fix the mapping.`);
      continue;
    }
    issueTypeIds[typeName] = type.id;
    const names = new Set(type.statuses.map((s) => s.name.toLowerCase()));
    for (const target of targets) {
      if (!names.has(target.toLowerCase())) problems.push(`Status '${target}' is unreachable for '${typeName}' issues: the workflow has no such status (it has ${type.statuses.map((s) => s.name).join(', ')}).`);
    }
  }
  return { fields, issueTypeIds, problems };
}
