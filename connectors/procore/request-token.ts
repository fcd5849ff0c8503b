import { z } from 'zod';
import { type AccessToken } from '../../core/oauth-token-store';
import { type PartnerHttp } from '../http/partner-request';
import { postTokenRequest, unexpectedTokenResponse, type TokenEndpoint } from '../oauth/token-request';
import type { ProcoreAuth } from './config';

export const PROCORE = 'procore';

/** `{"access_token","token_type":"bearer","expires_in":5400,"created_at":<unix>}`; no refresh token for a DMSA. */
const tokenResponseSchema = z.object({ access_token: z.string().min(1), token_type: z.string(), expires_in: z.number().positive() }).loose();

const INVALID_CLIENT = {
  code: 'PROCORE_OAUTH_INVALID_CLIENT',
  hint: 'Procore did not accept the DMSA client id or secret: copy them again from the Procore Developer Portal (production and sandbox credentials differ).',
};
const REFUSALS: Record<string, { code: string; hint: string }> = { invalid_client: INVALID_CLIENT, unauthorized_client: INVALID_CLIENT };
const OTHER = { code: 'PROCORE_OAUTH_REFUSED', hint: 'Procore refused the client credentials grant: check that the app is a Developer Managed Service Account installed in this company.' };

const ENDPOINT: TokenEndpoint = {
  partner: PROCORE,
  operation: 'POST /oauth/token (client_credentials)',
  path: '/oauth/token',
  encoding: 'form',
  unavailableCode: 'PROCORE_OAUTH_UNAVAILABLE',
  refused: (error) => ({ ...((error && REFUSALS[error]) || OTHER), reason: 'Procore refused the DMSA credentials: the connection credentials must be fixed' }),
};

/**
 * DMSA token: `POST {login}/oauth/token` with grant_type=client_credentials, client_id, client_secret
 * (https://developers.procore.com/documentation/oauth-client-credentials). Lives `expires_in` (5,400 s) seconds.
 */
export async function requestProcoreToken(http: PartnerHttp, auth: ProcoreAuth, now: () => number): Promise<AccessToken> {
  const answer = await postTokenRequest(http, ENDPOINT, { grant_type: 'client_credentials', client_id: auth.clientId, client_secret: auth.clientSecret });
  const parsed = tokenResponseSchema.safeParse(answer);
  if (!parsed.success || parsed.data.token_type.toLowerCase() !== 'bearer') throw unexpectedTokenResponse(ENDPOINT, 'a bearer token response', 'PROCORE_OAUTH_UNEXPECTED_RESPONSE');
  return { accessToken: parsed.data.access_token, expiresAt: new Date(now() + parsed.data.expires_in * 1000) };
}
