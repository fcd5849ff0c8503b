import { z } from 'zod';

/** Raw Jira REST v3 payloads (jira_platform_v3.json component schemas), only the parts we read. */
export const createdIssueSchema = z.object({ id: z.string(), key: z.string(), self: z.string().optional() }).loose();

export const issueSchema = z
  .object({
    id: z.string(),
    key: z.string(),
    self: z.string().optional(),
    fields: z.record(z.string(), z.unknown()).optional(),
    properties: z.record(z.string(), z.unknown()).optional(),
  })
  .loose();
export type JiraIssue = z.infer<typeof issueSchema>;

export const statusRefSchema = z.object({ id: z.string(), name: z.string() }).loose();

export const transitionsSchema = z.object({ transitions: z.array(z.object({ id: z.string(), name: z.string(), to: statusRefSchema }).loose()) }).loose();
export type JiraTransition = z.infer<typeof transitionsSchema>['transitions'][number];

export const commentSchema = z.object({ id: z.string(), body: z.unknown().optional(), created: z.string().optional() }).loose();
export const pageOfCommentsSchema = z.object({ startAt: z.number(), maxResults: z.number(), total: z.number(), comments: z.array(commentSchema) }).loose();

export const fieldSchema = z
  .object({ id: z.string(), name: z.string(), custom: z.boolean().optional(), schema: z.object({ type: z.string(), custom: z.string().optional() }).loose().optional() })
  .loose();
export const fieldsSchema = z.array(fieldSchema);
export type JiraField = z.infer<typeof fieldSchema>;

export const searchResultsSchema = z.object({ issues: z.array(issueSchema).default([]), nextPageToken: z.string().optional(), isLast: z.boolean().optional() }).loose();

export const registeredWebhooksSchema = z.object({ webhookRegistrationResult: z.array(z.object({ createdWebhookId: z.number().int().optional(), errors: z.array(z.string()).optional() }).loose()) }).loose();
export const webhookSchema = z.object({ id: z.number().int(), url: z.string().optional(), events: z.array(z.string()), jqlFilter: z.string(), expirationDate: z.number().optional() }).loose();
export type JiraWebhook = z.infer<typeof webhookSchema>;
export const pageOfWebhooksSchema = z.object({ values: z.array(webhookSchema).default([]), isLast: z.boolean().optional(), startAt: z.number().optional(), total: z.number().optional() }).loose();
export const expirationSchema = z.object({ expirationDate: z.number() }).loose();

/** For answers we do not read (204, 202, `{}`). */
export const anyBody = z.unknown();
