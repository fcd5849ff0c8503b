import type { JiraClient } from './client';
import { jqlDate, jqlString, searchIssues } from './search-issues';
import type { JiraIssue } from './schemas';

/**
 * Finds the issue carrying our record key, to recover a create whose answer was lost (crash or timeout after Jira
 * created it). Issue properties cannot be searched by JQL without a Forge/Connect index (partner-apis.md, "Issue
 * properties"), so we search the key's text custom field. Text fields only support `~` (CONTAINS,
 * https://support.atlassian.com/jira-software-cloud/docs/jql-operators/#CONTAINS), so the phrase is matched and the
 * exact value checked here. Bounded in time by `createdSince` (the intent row's time minus a margin; JQL dates have
 * minute precision). Several matches mean an earlier duplicate: the oldest is returned.
 */
export async function findIssueByExternalKey(client: JiraClient, keyFieldId: string, key: string, createdSince: Date): Promise<JiraIssue | undefined> {
  const cf = keyFieldId.replace(/^customfield_/, '');
  const jql = `project = ${jqlString(client.config.projectKey)} AND cf[${cf}] ~ ${jqlString(`"${key}"`)} AND created >= ${jqlString(jqlDate(createdSince))} ORDER BY created ASC`;
  for await (const page of searchIssues(client, jql, { fields: [keyFieldId, 'created'], maxResults: 50 })) {
    const hit = page.find((i) => i.fields?.[keyFieldId] === key);
    if (hit) return hit;
  }
  return undefined;
}
