import { z } from 'zod';

/**
 * How a connection authenticates to Asana, as stored (connection_credentials side `asana`) and as the API accepts it.
 * Both methods send `Authorization: Bearer` (asana_oas.yaml securitySchemes `personalAccessToken`, `oauth2`,
 * L10348-10367); they differ in where the bearer token comes from.
 * `method` is required: a bare `{ token }` is refused with a message naming `method`.
 */
export const asanaPatSchema = z
  .object({
    method: z.literal('pat'),
    /** A personal access token (`0/68a9e79b…`); it does not expire until the user revokes it. */
    token: z.string().min(1),
  })
  .strict();

export const asanaOAuthSchema = z
  .object({
    method: z.literal('oauth2'),
    /** Our OAuth app's client id (not a secret: shown in API responses). */
    clientId: z.string().min(1),
    clientSecret: z.string().min(1),
    /** From the customer's authorization code exchange; long-lived, exchanged for a one-hour access token as needed. */
    refreshToken: z.string().min(1),
    /**
     * The access token that came with the refresh token, if at hand. Used only until a refreshed token is stored;
     * its expiry is unknown, so the first 401 refreshes it.
     */
    accessToken: z.string().min(1).optional(),
  })
  .strict();

export const asanaAuthSchema = z.discriminatedUnion('method', [asanaPatSchema, asanaOAuthSchema]);
export type AsanaAuth = z.output<typeof asanaAuthSchema>;
export type AsanaAuthInput = z.input<typeof asanaAuthSchema>;
export type AsanaOAuth = z.output<typeof asanaOAuthSchema>;
