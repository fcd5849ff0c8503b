import { z } from 'zod';
import { PROCURIFY_AUDIENCE, procurifyBaseUrlFor } from './provider';

/**
 * Client credentials from Settings > Integrations > API (https://developer.procurify.com/tag/oauth): the secret is
 * shown once, so the customer pastes it into the connection and we store it encrypted.
 */
export const procurifyAuthSchema = z
  .object({
    method: z.literal('client_credentials').default('client_credentials'),
    clientId: z.string().min(1, 'clientId is the Client ID from Procurify Settings > Integrations > API'),
    clientSecret: z.string().min(1, 'clientSecret is the Client Secret shown once when the API application was created'),
  })
  .strict();
export type ProcurifyAuth = z.output<typeof procurifyAuthSchema>;

/**
 * One Procurify connection. `domain` is the customer's subdomain (acme for https://acme.procurify.com); `baseUrl`
 * overrides the host (a sandbox or the simulator). One of the two is required.
 */
export const procurifyConfigSchema = z
  .object({
    domain: z
      .string()
      .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i, 'domain is the subdomain of <domain>.procurify.com (letters, digits, hyphens)')
      .optional(),
    baseUrl: z.string().url().optional(),
    audience: z.string().min(1).default(PROCURIFY_AUDIENCE),
    auth: procurifyAuthSchema,
    /** page_size for list calls (1..100). */
    pageSize: z.number().int().min(1).max(100).default(100),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (!c.domain && !c.baseUrl) ctx.addIssue({ code: 'custom', path: ['domain'], message: 'set domain (acme for https://acme.procurify.com) or baseUrl' });
  })
  .transform(({ domain, baseUrl, ...rest }) => ({
    ...rest,
    domain,
    baseUrl: (baseUrl ?? procurifyBaseUrlFor(domain ?? '')).replace(/\/+$/, ''),
  }));
export type ProcurifyConfig = z.output<typeof procurifyConfigSchema>;
export type ProcurifyConfigInput = z.input<typeof procurifyConfigSchema>;
