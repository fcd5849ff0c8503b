import { z } from 'zod';

const DAY_MS = 86_400_000;

/** PeopleSoft credentials: HTTP Basic with an operator id, a static OAuth2 bearer token, or OAuth2 client credentials at the customer's IdP. */
export const peopleSoftAuthSchema = z.union([
  z.object({ method: z.literal('basic'), oprid: z.string().min(1), password: z.string().min(1) }).strict(),
  z.object({ method: z.literal('oauth2'), accessToken: z.string().min(1) }).strict(),
  /**
   * Client credentials at the customer's identity provider (RFC 6749 §4.4; PeopleSoft is only the resource server:
   * https://docs.oracle.com/en/applications/peoplesoft/peopletools/8.63/security-administration/service-application-rest-provider.html).
   * Tokens are fetched, cached encrypted and refreshed by connectors/peoplesoft/access-tokens.ts.
   */
  z.object({ method: z.literal('oauth2'), tokenUrl: z.url(), clientId: z.string().min(1), clientSecret: z.string().min(1), scope: z.string().min(1).optional() }).strict(),
]);
export type PeopleSoftClientCredentials = Extract<PeopleSoftAuth, { clientId: string }>;
export type PeopleSoftAuth = z.infer<typeof peopleSoftAuthSchema>;

export const peopleSoftEndpointSchema = z
  .object({
    /** Scheme, host and port of the Integration Gateway (web server), e.g. https://psft.example.com:8443. */
    baseUrl: z.url().transform((u) => u.replace(/\/+$/, '')),
    /** The target node named in REST URLs and the SOAP path, e.g. PSFT_EP. */
    node: z.string().regex(/^[A-Za-z0-9_]+$/, 'a PeopleSoft node name (letters, digits, underscore)'),
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
  return { ...rest, auth: 'tokenUrl' in auth ? { method: auth.method, tokenUrl: auth.tokenUrl, clientId: auth.clientId } : { method: auth.method } };
}
