import { addComment, listComments } from './comments';
import { checkConnection, type ConnectionCheckInput } from './check-connection';
import { createJiraClient, type JiraClientDeps } from './client';
import { jiraConfigSchema, type JiraConfigInput } from './config';
import { createIssue, type CreateIssueInput } from './create-issue';
import { editIssue, getIssue } from './edit-issue';
import { getFields, resolveFieldIds } from './fields';
import { findIssueByExternalKey } from './find-issue-by-external-key';
import { searchIssues, searchPage } from './search-issues';
import { getTransitions, moveToStatus, transitionToStatus } from './transitions';
import { deleteWebhooks, listWebhooks, refreshWebhooks, registerWebhook, type RegisterWebhookInput } from './webhooks';

/** Everything the sync engine's Jira activities call, bound to one connection (config parsed once here). */
export function createJiraConnector(configInput: JiraConfigInput, deps: JiraClientDeps = {}) {
  const client = createJiraClient(jiraConfigSchema.parse(configInput), deps);
  return {
    client,
    authorize: () => client.authorize(),
    createIssue: (input: CreateIssueInput) => createIssue(client, input),
    editIssue: (key: string, fields: Record<string, unknown>, options?: Parameters<typeof editIssue>[3]) => editIssue(client, key, fields, options),
    getIssue: (key: string, fields?: string[], properties?: string[]) => getIssue(client, key, fields, properties),
    getTransitions: (key: string) => getTransitions(client, key),
    transitionToStatus: (key: string, target: string, currentStatus?: string) => transitionToStatus(client, key, target, currentStatus),
    moveToStatus: (key: string, target: string, via: string[], currentStatus?: string) => moveToStatus(client, key, target, via, currentStatus),
    addComment: (key: string, text: string) => addComment(client, key, text),
    listComments: (key: string) => listComments(client, key),
    getFields: () => getFields(client),
    resolveFieldIds: async (names: string[]) => resolveFieldIds(await getFields(client), names),
    searchPage: (jql: string, opts?: Parameters<typeof searchPage>[2]) => searchPage(client, jql, opts),
    searchIssues: (jql: string, opts?: Parameters<typeof searchIssues>[2]) => searchIssues(client, jql, opts),
    findIssueByExternalKey: (keyFieldId: string, key: string, createdSince: Date) => findIssueByExternalKey(client, keyFieldId, key, createdSince),
    checkConnection: (input: ConnectionCheckInput) => checkConnection(client, input),
    registerWebhook: (input: RegisterWebhookInput) => registerWebhook(client, input),
    listWebhooks: () => listWebhooks(client),
    refreshWebhooks: (ids: number[]) => refreshWebhooks(client, ids),
    deleteWebhooks: (ids: number[]) => deleteWebhooks(client, ids),
  };
}
export type JiraConnector = ReturnType<typeof createJiraConnector>;
