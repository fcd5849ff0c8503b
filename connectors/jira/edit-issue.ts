import type { JiraClient } from './client';
import { anyBody, issueSchema, type JiraIssue } from './schemas';

/**
 * `PUT /rest/api/3/issue/{key}` (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-put):
 * 204 on success. Editing cannot change the status (that is a transition). `notifyUsers=false` keeps a sync from
 * mailing watchers on every run (needs admin or the app's permission; Jira refuses with 403 otherwise).
 */
export async function editIssue(client: JiraClient, issueKey: string, fields: Record<string, unknown>, options: { notifyUsers?: boolean; properties?: { key: string; value: unknown }[] } = {}): Promise<void> {
  await client.send(
    {
      operation: 'PUT /rest/api/3/issue/{key}',
      method: 'PUT',
      path: `/rest/api/3/issue/${encodeURIComponent(issueKey)}`,
      query: { notifyUsers: options.notifyUsers === false ? 'false' : undefined },
      // `properties` is part of IssueUpdateDetails on edit too: fields and our snapshot change in one request.
      body: { fields, ...(options.properties ? { properties: options.properties } : {}) },
      issue: issueKey,
    },
    anyBody,
  );
}

/** `GET /rest/api/3/issue/{key}` with the fields and properties asked for; undefined when it is gone (404). */
export async function getIssue(client: JiraClient, issueKey: string, fields: string[] = ['*all'], properties: string[] = []): Promise<JiraIssue | undefined> {
  try {
    const res = await client.send(
      {
        operation: 'GET /rest/api/3/issue/{key}',
        method: 'GET',
        path: `/rest/api/3/issue/${encodeURIComponent(issueKey)}`,
        query: { fields: fields.join(','), properties: properties.length > 0 ? properties.join(',') : undefined },
      },
      issueSchema,
    );
    return res.body;
  } catch (err) {
    if ((err as { status?: number }).status === 404) return undefined;
    throw err;
  }
}
