import { z } from 'zod';
import type { PartnerHttp } from '../http/partner-request';
import { postTokenRequest, unexpectedTokenResponse, type TokenEndpoint } from '../oauth/token-request';
import type { JiraOAuth } from './auth';
import { JIRA } from './provider';

const tokenResponseSchema = z.object({ access_token: z.string().min(1), refresh_token: z.string().min(1).optional(), expires_in: z.number().positive() }).loose();

const ENDPOINT: TokenEndpoint = {
  partner: JIRA,
  operation: 'POST /oauth/token (refresh_token)',
  path: '',
  encoding: 'json',
  unavailableCode: 'JIRA_OAUTH_UNAVAILABLE',
  refused: (error) => ({
    code: error === 'invalid_grant' ? 'JIRA_OAUTH_INVALID_GRANT' : 'JIRA_OAUTH_REFUSED',
    hint: 'Atlassian refused to refresh the access token (revoked access, or a rotated refresh token used twice): reconnect the Jira account.',
    reason: 'Atlassian refused the refresh token: the connection must be reconnected',
  }),
};

export interface RefreshedTokens {
  accessToken: string;
  /** Atlassian rotates refresh tokens: the one we sent no longer works once this arrives. */
  refreshToken: string;
  expiresAt: Date;
}

/**
 * https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps/#use-a-refresh-token-to-get-another-access-token-and-refresh-token-pair:
 * `POST https://auth.atlassian.com/oauth/token` with JSON `{grant_type: "refresh_token", client_id, client_secret,
 * refresh_token}` answers `{access_token, refresh_token, expires_in, scope}`; the refresh token rotates. A refusal
 * (403 invalid_grant: reused or revoked token) is permanent: the user must reconnect. Errors carry no bodies (secrets).
 */
export async function refreshAccessToken(http: PartnerHttp, auth: JiraOAuth, refreshToken: string, now: () => number): Promise<RefreshedTokens> {
  const answer = await postTokenRequest(http, ENDPOINT, { grant_type: 'refresh_token', client_id: auth.clientId, client_secret: auth.clientSecret, refresh_token: refreshToken });
  const parsed = tokenResponseSchema.safeParse(answer);
  if (!parsed.success) throw unexpectedTokenResponse(ENDPOINT, 'a token response', 'JIRA_OAUTH_UNEXPECTED_RESPONSE');
  return { accessToken: parsed.data.access_token, refreshToken: parsed.data.refresh_token ?? refreshToken, expiresAt: new Date(now() + parsed.data.expires_in * 1000) };
}
