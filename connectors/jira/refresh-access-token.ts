import { z } from 'zod';
import { isPartnerError, PartnerError } from '../../core/partner-error';
import type { PartnerHttp } from '../http/partner-request';
import type { JiraOAuth } from './auth';
import { JIRA } from './provider';

const OPERATION = 'POST /oauth/token (refresh_token)';

const tokenResponseSchema = z.object({ access_token: z.string().min(1), refresh_token: z.string().min(1).optional(), expires_in: z.number().positive() }).loose();
const oauthErrorSchema = z.object({ error: z.string().regex(/^[\w.-]{1,64}$/) }).loose();

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
  let body: string;
  try {
    const res = await http.request({
      operation: OPERATION,
      method: 'POST',
      url: '',
      data: JSON.stringify({ grant_type: 'refresh_token', client_id: auth.clientId, client_secret: auth.clientSecret, refresh_token: refreshToken }),
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    });
    body = res.data;
  } catch (err) {
    if (!isPartnerError(err) || err.status === undefined || err.status >= 500 || err.status === 429) throw err;
    const error = oauthErrorSchema.safeParse(safeJson(err.rawBody)).data?.error;
    throw new PartnerError(`jira ${OPERATION}: HTTP ${err.status}${error ? ` ${error}` : ''}`, {
      partner: JIRA,
      operation: OPERATION,
      status: err.status,
      rawBody: error ? JSON.stringify({ error }) : undefined,
      decision: { retry: false, reason: 'Atlassian refused the refresh token: the connection must be reconnected' },
      code: error === 'invalid_grant' ? 'JIRA_OAUTH_INVALID_GRANT' : 'JIRA_OAUTH_REFUSED',
      hint: 'Atlassian refused to refresh the access token (revoked access, or a rotated refresh token used twice): reconnect the Jira account.',
    });
  }
  const parsed = tokenResponseSchema.safeParse(safeJson(body));
  if (!parsed.success) {
    throw new PartnerError(`jira ${OPERATION}: the answer is not a token response`, {
      partner: JIRA,
      operation: OPERATION,
      status: 200,
      decision: { retry: false, reason: 'token response did not match the documented shape' },
      code: 'JIRA_OAUTH_UNEXPECTED_RESPONSE',
    });
  }
  return { accessToken: parsed.data.access_token, refreshToken: parsed.data.refresh_token ?? refreshToken, expiresAt: new Date(now() + parsed.data.expires_in * 1000) };
}

function safeJson(text: string | undefined): unknown {
  try {
    return JSON.parse(text ?? '');
  } catch {
    return undefined;
  }
}
