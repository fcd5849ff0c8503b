import type { JiraClient } from './client';
import { createdIssueSchema } from './schemas';

export interface CreateIssueInput {
  issueTypeId: string;
  summary: string;
  /** Everything else by field id (`description` as ADF, `duedate`, `customfield_NNNNN`). */
  fields: Record<string, unknown>;
  /** Our record key: stored as an issue property in the same request, and in `keyFieldId` for search. */
  externalKey: string;
  keyFieldId: string;
  propertyKey: string;
  /** What else the property holds (e.g. a snapshot of what we wrote); `externalKey` is always in it. */
  propertyValue?: Record<string, unknown>;
}

/**
 * `POST /rest/api/3/issue` (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-post).
 * The record key goes in `properties` (spec IssueUpdateDetails.properties: set atomically with the create) and in a
 * text custom field, because JQL cannot search issue properties without a Forge/Connect index; the field is what
 * findIssueByExternalKey searches after a lost answer.
 */
export async function createIssue(client: JiraClient, input: CreateIssueInput): Promise<{ id: string; key: string }> {
  const res = await client.send(
    {
      operation: 'POST /rest/api/3/issue',
      method: 'POST',
      path: '/rest/api/3/issue',
      body: {
        fields: { project: { key: client.config.projectKey }, issuetype: { id: input.issueTypeId }, summary: input.summary, ...input.fields, [input.keyFieldId]: input.externalKey },
        properties: [{ key: input.propertyKey, value: { ...input.propertyValue, externalKey: input.externalKey } }],
      },
    },
    createdIssueSchema,
  );
  return { id: res.body.id, key: res.body.key };
}
