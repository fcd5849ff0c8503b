import { z } from 'zod';

/**
 * How a connection authenticates to Procore: a Developer Managed Service Account's client id and secret, exchanged
 * for an access token with the client credentials grant (https://developers.procore.com/documentation/oauth-client-credentials).
 * The secret never leaves this object: not in logs, errors or workflow history.
 */
export const procoreAuthSchema = z
  .object({
    method: z.literal('client_credentials').default('client_credentials'),
    clientId: z.string().min(1, 'clientId is the DMSA client id from the Procore Developer Portal'),
    clientSecret: z.string().min(1, 'clientSecret is the DMSA client secret from the Procore Developer Portal'),
  })
  .strict();
export type ProcoreAuth = z.output<typeof procoreAuthSchema>;

/**
 * Procore's environments (https://developers.procore.com/documentation/development-environments): production, the
 * developer sandbox (sandbox credentials) and the monthly sandbox (production credentials). The URLs are config, so a
 * connection can also point at the simulator.
 */
export const PROCORE_ENVIRONMENTS = {
  production: { apiUrl: 'https://api.procore.com', loginUrl: 'https://login.procore.com' },
  sandbox: { apiUrl: 'https://sandbox.procore.com', loginUrl: 'https://login-sandbox.procore.com' },
  monthly: { apiUrl: 'https://api-monthly.procore.com', loginUrl: 'https://login-sandbox-monthly.procore.com' },
} as const;

/** Procore company ids are 64-bit: kept as digit strings, never JavaScript numbers. */
export const procoreIdSchema = z.string().regex(/^\d{1,20}$/, 'a Procore id is a whole number, written as a string (ids are 64-bit)');

export const procoreEndpointSchema = z
  .object({
    environment: z.enum(['production', 'sandbox', 'monthly']).default('production'),
    /** Overrides the environment's API base URL (the simulator, a proxy). */
    apiUrl: z.url().optional(),
    /** Overrides the environment's login (token) base URL. */
    loginUrl: z.url().optional(),
    companyId: procoreIdSchema,
    /** `per_page` for list calls (Procore recommends at most 2,000; https://developers.procore.com/documentation/pagination). */
    perPage: z.number().int().min(1).max(1000).default(100),
    timeoutMs: z.number().int().min(100).max(600_000).optional(),
  })
  .strict();
export type ProcoreEndpoint = z.output<typeof procoreEndpointSchema>;
export type ProcoreEndpointInput = z.input<typeof procoreEndpointSchema>;

export function resolveUrls(endpoint: ProcoreEndpoint): { apiUrl: string; loginUrl: string } {
  const env = PROCORE_ENVIRONMENTS[endpoint.environment];
  return { apiUrl: (endpoint.apiUrl ?? env.apiUrl).replace(/\/+$/, ''), loginUrl: (endpoint.loginUrl ?? env.loginUrl).replace(/\/+$/, '') };
}
