import { z } from 'zod';

const DAY_MS = 86_400_000;

/** PeopleSoft credentials: HTTP Basic with an operator id, a static OAuth2 bearer token, or OAuth2 client credentials at the customer's IdP. */
const CLIENT_CREDENTIALS = ['tokenUrl', 'clientId', 'clientSecret'] as const;

/**
 * OAuth2: a static bearer token (`accessToken`), or client credentials at the customer's identity provider
 * (`tokenUrl, clientId, clientSecret, scope?`, RFC 6749 §4.4; PeopleSoft is only the resource server:
 * https://docs.oracle.com/en/applications/peoplesoft/peopletools/8.63/security-administration/service-application-rest-provider.html).
 * One `oauth2` method with a check rather than two union members, so a missing `method` is still named by the
 * discriminated union. Client-credentials tokens are fetched, cached encrypted and refreshed by access-tokens.ts.
 */
const oauth2Schema = z
  .object({
    method: z.literal('oauth2'),
    accessToken: z.string().min(1).optional(),
    tokenUrl: z.url().optional(),
    clientId: z.string().min(1).optional(),
    clientSecret: z.string().min(1).optional(),
    scope: z.string().min(1).optional(),
  })
  .strict()
  .superRefine((auth, ctx) => {
    if (auth.accessToken !== undefined) {
      for (const key of [...CLIENT_CREDENTIALS, 'scope'] as const) {
        if (auth[key] !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: `${key} is for client credentials: give either accessToken (a static token) or tokenUrl, clientId and clientSecret` });
      }
      return;
    }
    for (const key of CLIENT_CREDENTIALS) {
      if (auth[key] === undefined) ctx.addIssue({ code: 'custom', path: [key], message: `${key} is required for OAuth2 client credentials (or give a static accessToken)` });
    }
  });

export const peopleSoftAuthSchema = z.discriminatedUnion('method', [
  z.object({ method: z.literal('basic'), oprid: z.string().min(1), password: z.string().min(1) }).strict(),
  oauth2Schema,
]);
export type PeopleSoftAuth = z.infer<typeof peopleSoftAuthSchema>;

export interface PeopleSoftClientCredentials {
  method: 'oauth2';
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scope?: string;
}

/** The client credentials of an OAuth2 auth (the schema guarantees all three when there is no static token). */
export function clientCredentialsOf(auth: PeopleSoftAuth): PeopleSoftClientCredentials | undefined {
  if (auth.method !== 'oauth2' || auth.accessToken !== undefined || !auth.tokenUrl || !auth.clientId || !auth.clientSecret) return undefined;
  return { method: 'oauth2', tokenUrl: auth.tokenUrl, clientId: auth.clientId, clientSecret: auth.clientSecret, ...(auth.scope ? { scope: auth.scope } : {}) };
}

const nodeSchema = z.string().regex(/^[A-Za-z0-9_]+$/, 'a PeopleSoft node name (letters, digits, underscore)');

/**
 * The PeopleSoft side of a pair's config, without the credentials (they live in the connection's encrypted secrets)
 * and without defaults (peopleSoftEndpointSchema applies them when the two are joined). Spread into a pair's
 * `peoplesoft` object beside its own fields (vendor SETID, business unit, ...).
 */
export const peopleSoftConfigSideFields = {
  baseUrl: z.url(),
  node: nodeSchema,
  rowCap: z.number().int().min(1).max(100_000).optional(),
  maxWindowMs: z.number().int().min(1_000).optional(),
  timeoutMs: z.number().int().min(100).max(600_000).optional(),
};

export const peopleSoftEndpointSchema = z
  .object({
    /** Scheme, host and port of the Integration Gateway (web server), e.g. https://psft.example.com:8443. */
    baseUrl: z.url().transform((u) => u.replace(/\/+$/, '')),
    /** The target node named in REST URLs and the SOAP path, e.g. PSFT_EP. */
    node: nodeSchema,
    auth: peopleSoftAuthSchema,
    /** The row cap the customer's REST handlers stop at; a response of exactly this size means "there is more". */
    rowCap: z.number().int().min(1).max(100_000).default(500),
    /** Longest LASTUPDDTTM window per request, so a first sync never asks one app server for years of rows at once. */
    maxWindowMs: z.number().int().min(1_000).default(7 * DAY_MS),
    timeoutMs: z.number().int().min(100).max(600_000).default(60_000),
  })
  .strict();
export type PeopleSoftEndpointInput = z.input<typeof peopleSoftEndpointSchema>;
export type PeopleSoftEndpoint = z.output<typeof peopleSoftEndpointSchema>;

/** The endpoint without secrets: for logs, API responses and error context. */
export function redactEndpoint(endpoint: PeopleSoftEndpoint) {
  const { auth, ...rest } = endpoint;
  if (auth.method === 'basic') return { ...rest, auth: { method: auth.method, oprid: auth.oprid } };
  const cc = clientCredentialsOf(auth);
  return { ...rest, auth: cc ? { method: auth.method, tokenUrl: cc.tokenUrl, clientId: cc.clientId } : { method: auth.method } };
}
