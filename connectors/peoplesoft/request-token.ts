import { z } from 'zod';
import { type AccessToken } from '../../core/oauth-token-store';
import { type PartnerHttp } from '../http/partner-request';
import { postTokenRequest, unexpectedTokenResponse, type TokenEndpoint } from '../oauth/token-request';
import { type PeopleSoftClientCredentials } from './endpoint';
import { PARTNER } from './recognize-error';

/** RFC 6749 §5.1 (https://datatracker.ietf.org/doc/html/rfc6749#section-5.1): only what we use. */
const tokenResponseSchema = z.object({ access_token: z.string().min(1), token_type: z.string(), expires_in: z.coerce.number().positive() }).loose();

const INVALID_CLIENT = {
  code: 'PS_OAUTH_INVALID_CLIENT',
  hint: "The identity provider did not accept the PeopleSoft client id or secret: fix them in the connection's peoplesoft credentials (the IdP administrator issues them).",
};
const REFUSALS: Record<string, { code: string; hint: string }> = { invalid_client: INVALID_CLIENT, unauthorized_client: INVALID_CLIENT };
const OTHER_REFUSAL = {
  code: 'PS_OAUTH_REFUSED',
  hint: 'The identity provider refused the client credentials grant: check the client may use client credentials and that the scope (if any) is one it grants.',
};

const ENDPOINT: TokenEndpoint = {
  partner: PARTNER,
  operation: 'POST token (client_credentials)',
  path: '',
  encoding: 'form',
  unavailableCode: 'PS_OAUTH_UNAVAILABLE',
  refused: (error) => ({ ...((error && REFUSALS[error]) || OTHER_REFUSAL), reason: 'the identity provider refused the client credentials: the connection credentials must be fixed' }),
};

/**
 * Client credentials grant at the customer's IdP (RFC 6749 §4.4.2, https://datatracker.ietf.org/doc/html/rfc6749#section-4.4.2):
 * form `grant_type=client_credentials, client_id, client_secret[, scope]` -> `{access_token, token_type, expires_in}`.
 * PeopleSoft (PeopleTools 8.58+) validates the bearer as a resource server
 * (https://ib.books.cedarhillsgroup.com/rest/rest-oauth2). A 4xx is permanent with a hint; no answer or a 5xx is transient.
 */
export async function requestPeopleSoftToken(http: PartnerHttp, auth: PeopleSoftClientCredentials, now: () => number): Promise<AccessToken> {
  const params: Record<string, string> = { grant_type: 'client_credentials', client_id: auth.clientId, client_secret: auth.clientSecret };
  if (auth.scope) params.scope = auth.scope;
  const parsed = tokenResponseSchema.safeParse(await postTokenRequest(http, ENDPOINT, params));
  if (!parsed.success || parsed.data.token_type.toLowerCase() !== 'bearer') throw unexpectedTokenResponse(ENDPOINT, 'a bearer token response', 'PS_OAUTH_UNEXPECTED_RESPONSE');
  return { accessToken: parsed.data.access_token, expiresAt: new Date(now() + parsed.data.expires_in * 1000) };
}
