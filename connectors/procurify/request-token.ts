import { z } from 'zod';
import { type AccessToken } from '../../core/oauth-token-store';
import { type PartnerHttp } from '../http/partner-request';
import { postTokenRequest, unexpectedTokenResponse, type TokenEndpoint } from '../oauth/token-request';
import type { ProcurifyAuth } from './config';
import { PROCURIFY, PROCURIFY_TOKEN_LIFETIME_S, PROCURIFY_TOKEN_PATH } from './provider';

/** OauthTokenRequestResponse (procurify_openapi.yaml): `token_type` is the enum ["Bearer"]. */
const tokenResponseSchema = z
  .object({ access_token: z.string().min(1), expires_in: z.number().positive().optional(), token_type: z.string(), scope: z.string().optional() })
  .loose();

const ENDPOINT: TokenEndpoint = {
  partner: PROCURIFY,
  operation: 'POST /oauth/token (client_credentials)',
  path: PROCURIFY_TOKEN_PATH,
  encoding: 'json',
  unavailableCode: 'PROCURIFY_OAUTH_UNAVAILABLE',
  refused: () => ({
    code: 'PROCURIFY_OAUTH_REFUSED',
    hint: 'Procurify did not accept the client id or secret: create a new API application under Settings > Integrations > API and update the connection credentials.',
    reason: 'Procurify refused the client credentials',
  }),
};

/**
 * Asks for an access token with the client credentials grant. Per https://developer.procurify.com/tag/oauth:
 * POST https://<domain>.procurify.com/oauth/token, JSON `{client_id, client_secret, audience:
 * "https://api.procurify.com/", grant_type: "client_credentials"}` -> `{access_token, scope, expires_in: 86400,
 * token_type: "Bearer"}`; "cache it until it expires (24 hrs)". A 4xx is a configuration error (permanent, with a
 * hint); no answer or a 5xx is transient.
 */
export async function requestAccessToken(http: PartnerHttp, auth: ProcurifyAuth, audience: string, now: () => number): Promise<AccessToken> {
  const answer = await postTokenRequest(http, ENDPOINT, { client_id: auth.clientId, client_secret: auth.clientSecret, audience, grant_type: 'client_credentials' });
  const parsed = tokenResponseSchema.safeParse(answer);
  if (!parsed.success || parsed.data.token_type.toLowerCase() !== 'bearer') throw unexpectedTokenResponse(ENDPOINT, 'a bearer token response', 'PROCURIFY_OAUTH_UNEXPECTED_RESPONSE');
  const lifetime = parsed.data.expires_in ?? PROCURIFY_TOKEN_LIFETIME_S;
  return { accessToken: parsed.data.access_token, expiresAt: new Date(now() + lifetime * 1000) };
}
