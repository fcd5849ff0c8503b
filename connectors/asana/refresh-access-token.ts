import { z } from 'zod';
import { type AccessToken } from '../../core/oauth-token-store';
import { type PartnerHttp } from '../http/partner-request';
import { postTokenRequest, unexpectedTokenResponse, type TokenEndpoint } from '../oauth/token-request';
import type { AsanaOAuth } from './auth';
import { ASANA } from './provider';

/** Only what we use; `data` (the user) and anything else Asana adds are ignored. No new refresh_token comes back. */
const tokenResponseSchema = z.object({ access_token: z.string().min(1), expires_in: z.number().positive(), token_type: z.string() }).loose();

const REFUSALS: Record<string, { code: string; hint: string }> = {
  invalid_grant: {
    code: 'ASANA_OAUTH_INVALID_GRANT',
    hint: 'Asana refused the refresh token (the user revoked access, or the app was deauthorized): reconnect the Asana account to store a new refresh token.',
  },
  invalid_client: {
    code: 'ASANA_OAUTH_INVALID_CLIENT',
    hint: "Asana did not accept the OAuth app's client id or secret: fix them in the connection credentials and reconnect the Asana account.",
  },
};
const OTHER_REFUSAL = { code: 'ASANA_OAUTH_REFUSED', hint: 'Asana refused to refresh the access token: reconnect the Asana account.' };

const ENDPOINT: TokenEndpoint = {
  partner: ASANA,
  operation: 'POST /-/oauth_token (refresh_token)',
  path: '',
  encoding: 'form',
  unavailableCode: 'ASANA_OAUTH_UNAVAILABLE',
  refused: (error) => ({ ...((error && REFUSALS[error]) || OTHER_REFUSAL), reason: 'Asana refused the refresh token: the connection must be reconnected' }),
};

/**
 * Exchanges the refresh token for a new access token. Per https://developers.asana.com/docs/oauth (token exchange
 * endpoint): POST https://app.asana.com/-/oauth_token, form-encoded, grant_type=refresh_token with client_id,
 * client_secret and refresh_token; the answer is `{ access_token, expires_in (3600), token_type: "bearer", data }`.
 * A refusal (4xx, e.g. `400 {"error":"invalid_grant"}` when the grant was revoked) is a configuration error:
 * permanent, with a hint to reconnect. No answer or a 5xx is transient.
 */
export async function refreshAccessToken(http: PartnerHttp, auth: AsanaOAuth, now: () => number): Promise<AccessToken> {
  const answer = await postTokenRequest(http, ENDPOINT, { grant_type: 'refresh_token', client_id: auth.clientId, client_secret: auth.clientSecret, refresh_token: auth.refreshToken });
  const parsed = tokenResponseSchema.safeParse(answer);
  if (!parsed.success || parsed.data.token_type.toLowerCase() !== 'bearer') throw unexpectedTokenResponse(ENDPOINT, 'a bearer token response', 'ASANA_OAUTH_UNEXPECTED_RESPONSE');
  return { accessToken: parsed.data.access_token, expiresAt: new Date(now() + parsed.data.expires_in * 1000) };
}
