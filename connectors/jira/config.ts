import { z } from 'zod';
import { jiraAuthSchema } from './auth';
import { ATLASSIAN_GATEWAY, ATLASSIAN_TOKEN_URL } from './provider';

/** One Jira connection's settings, parsed once where the connection is loaded; secrets never leave this object. */
export const jiraConfigSchema = z
  .object({
    /** https://<site>.atlassian.net; a sandbox connection points at the simulator. */
    siteUrl: z.string().url('siteUrl is the Jira site, e.g. https://acme.atlassian.net'),
    /** Where OAuth calls go (https://api.atlassian.com); the simulator serves it on its own port. */
    gatewayUrl: z.string().url().default(ATLASSIAN_GATEWAY),
    tokenUrl: z.string().url().default(ATLASSIAN_TOKEN_URL),
    projectKey: z.string().regex(/^[A-Z][A-Z0-9_]+$/, 'projectKey is a Jira project key such as PROC'),
    auth: jiraAuthSchema,
  })
  .strict();
export type JiraConfig = z.output<typeof jiraConfigSchema>;
export type JiraConfigInput = z.input<typeof jiraConfigSchema>;
