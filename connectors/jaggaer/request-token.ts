import { z } from 'zod';
import { type AccessToken } from '../../core/oauth-token-store';
import { type PartnerHttp } from '../http/partner-request';
import { postTokenRequest, unexpectedTokenResponse, type TokenEndpoint } from '../oauth/token-request';
import type { JaggaerAuth } from './config';
import { JAGGAER } from './provider';

/** Keycloak's token answer: only what we use; `refresh_expires_in`, `not-before-policy`, `scope` are ignored. */
const tokenResponseSchema = z.object({ access_token: z.string().min(1), expires_in: z.number().positive(), token_type: z.string() }).loose();

const INVALID_CLIENT = {
  code: 'JAGGAER_OAUTH_INVALID_CLIENT',
  hint: 'JAGGAER did not accept the integration client id or secret: fix them in the connection credentials (ask the JAGGAER administrator for the J1p-integrations client).',
};
/** Keycloak answers e.g. `401 {"error":"unauthorized_client","error_description":...}` (RFC 6749 §5.2). */
const REFUSALS: Record<string, { code: string; hint: string }> = { unauthorized_client: INVALID_CLIENT, invalid_client: INVALID_CLIENT };
const OTHER_REFUSAL = {
  code: 'JAGGAER_OAUTH_REFUSED',
  hint: 'JAGGAER refused the client credentials grant: check that the integration client exists in the J1p-integrations realm and may use client credentials.',
};

const ENDPOINT: TokenEndpoint = {
  partner: JAGGAER,
  operation: 'POST openid-connect/token (client_credentials)',
  path: '',
  encoding: 'form',
  unavailableCode: 'JAGGAER_OAUTH_UNAVAILABLE',
  refused: (error) => ({ ...((error && REFUSALS[error]) || OTHER_REFUSAL), reason: 'JAGGAER refused the client credentials: the connection credentials must be fixed' }),
};

/**
 * Client credentials grant at the instance's Keycloak realm: POST {instance}/auth/realms/J1p-integrations/protocol/
 * openid-connect/token, form `client_id, client_secret, grant_type=client_credentials` -> `{access_token, expires_in}`
 * (UCLALibrary/jaggaer-api jaggaer_api_client.py; Keycloak token endpoint:
 * https://www.keycloak.org/docs/latest/securing_apps/#_client_credentials_grant). No refresh token is used: a new
 * grant is as cheap and needs no state. A refusal (4xx) is a configuration error: permanent, with a hint. No answer
 * or a 5xx is transient.
 */
export async function requestToken(http: PartnerHttp, auth: JaggaerAuth, now: () => number): Promise<AccessToken> {
  const answer = await postTokenRequest(http, ENDPOINT, { grant_type: 'client_credentials', client_id: auth.clientId, client_secret: auth.clientSecret });
  const parsed = tokenResponseSchema.safeParse(answer);
  if (!parsed.success || parsed.data.token_type.toLowerCase() !== 'bearer') throw unexpectedTokenResponse(ENDPOINT, 'a bearer token response', 'JAGGAER_OAUTH_UNEXPECTED_RESPONSE');
  return { accessToken: parsed.data.access_token, expiresAt: new Date(now() + parsed.data.expires_in * 1000) };
}
