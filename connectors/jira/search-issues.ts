import type { JiraClient } from './client';
import { searchResultsSchema, type JiraIssue } from './schemas';

export interface SearchPage {
  issues: JiraIssue[];
  nextPageToken: string | undefined;
}

/**
 * `POST /rest/api/3/search/jql` (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-search/#api-rest-api-3-search-jql-post):
 * bounded JQL, `nextPageToken` paging, no total. The old `/rest/api/3/search` answers 410 (CHANGE-2046).
 * Only ids come back unless `fields` names more.
 */
export async function searchPage(client: JiraClient, jql: string, opts: { fields?: string[]; maxResults?: number; nextPageToken?: string; properties?: string[] } = {}): Promise<SearchPage> {
  const res = await client.send(
    {
      operation: 'POST /rest/api/3/search/jql',
      method: 'POST',
      path: '/rest/api/3/search/jql',
      body: {
        jql,
        maxResults: opts.maxResults ?? 100,
        ...(opts.fields ? { fields: opts.fields } : {}),
        ...(opts.properties ? { properties: opts.properties } : {}),
        ...(opts.nextPageToken ? { nextPageToken: opts.nextPageToken } : {}),
      },
    },
    searchResultsSchema,
  );
  return { issues: res.body.issues, nextPageToken: res.body.isLast === false || (res.body.isLast === undefined && res.body.nextPageToken) ? res.body.nextPageToken : undefined };
}

export async function* searchIssues(client: JiraClient, jql: string, opts: { fields?: string[]; maxResults?: number; properties?: string[] } = {}): AsyncGenerator<JiraIssue[], void, void> {
  let token: string | undefined;
  do {
    const page = await searchPage(client, jql, { ...opts, nextPageToken: token });
    yield page.issues;
    token = page.nextPageToken;
  } while (token !== undefined);
}

/** A JQL string literal: quotes and backslashes escaped (https://support.atlassian.com/jira-software-cloud/docs/jql-fields/). */
export function jqlString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** "yyyy-MM-dd HH:mm" in UTC, the JQL date form (minutes are its precision, so callers subtract a margin). */
export function jqlDate(d: Date): string {
  return d.toISOString().slice(0, 16).replace('T', ' ');
}
