import { z } from 'zod';

/**
 * How a connection authenticates to Jira Cloud, as stored (connection_credentials side `jira`):
 * - `basic`: email + API token against the site URL (https://developer.atlassian.com/cloud/jira/platform/basic-auth-for-rest-apis/);
 * - `oauth2`: OAuth 2.0 (3LO) with `offline_access`, rotating refresh tokens, calls through
 *   https://api.atlassian.com/ex/jira/{cloudId} (https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps/).
 */
export const jiraBasicSchema = z
  .object({
    method: z.literal('basic'),
    email: z.string().email('email is the Atlassian account email the API token belongs to'),
    apiToken: z.string().min(1, 'apiToken is required (create one at id.atlassian.com > Security > API tokens)'),
  })
  .strict();

export const jiraOAuthSchema = z
  .object({
    method: z.literal('oauth2'),
    clientId: z.string().min(1),
    clientSecret: z.string().min(1),
    /** The refresh token from the first code exchange. It rotates: the newest one lives in the token store. */
    refreshToken: z.string().min(1),
    accessToken: z.string().min(1).optional(),
    /** The site's cloudId; looked up with accessible-resources (matching siteUrl) when absent. */
    cloudId: z.string().min(1).optional(),
  })
  .strict();

export const jiraAuthSchema = z.discriminatedUnion('method', [jiraBasicSchema, jiraOAuthSchema]);
export type JiraAuth = z.output<typeof jiraAuthSchema>;
export type JiraOAuth = z.output<typeof jiraOAuthSchema>;
