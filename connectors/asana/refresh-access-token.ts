import { z } from 'zod';
import { type AccessToken } from '../../core/oauth-token-store';
import { isPartnerError, PartnerError } from '../../core/partner-error';
import { type PartnerHttp } from '../http/partner-request';
import type { AsanaOAuth } from './auth';
import { ASANA } from './provider';

const OPERATION = 'POST /-/oauth_token (refresh_token)';

/** Only what we use; `data` (the user) and anything else Asana adds are ignored. No new refresh_token comes back. */
const tokenResponseSchema = z.object({ access_token: z.string().min(1), expires_in: z.number().positive(), token_type: z.string() }).loose();
/** RFC 6749 §5.2 error answer, e.g. Asana's `400 {"error":"invalid_grant"}`. */
const oauthErrorSchema = z.object({ error: z.string().regex(/^[\w.-]{1,64}$/), error_description: z.string().optional() }).loose();

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

/**
 * Exchanges the refresh token for a new access token. Per https://developers.asana.com/docs/oauth (token exchange
 * endpoint): POST https://app.asana.com/-/oauth_token, form-encoded, grant_type=refresh_token with client_id,
 * client_secret and refresh_token; the answer is `{ access_token, expires_in (3600), token_type: "bearer", data }`.
 *
 * Errors carry no request or response body: the request holds the client secret and refresh token, a successful
 * answer holds the access token. A refusal (4xx, e.g. `400 {"error":"invalid_grant"}` when the grant was revoked)
 * is a configuration error: permanent, with a hint to reconnect. No answer or a 5xx is transient.
 */
export async function refreshAccessToken(http: PartnerHttp, auth: AsanaOAuth, now: () => number): Promise<AccessToken> {
  const form = new URLSearchParams({ grant_type: 'refresh_token', client_id: auth.clientId, client_secret: auth.clientSecret, refresh_token: auth.refreshToken });
  let body: string;
  try {
    const res = await http.request({ operation: OPERATION, method: 'POST', url: '', data: form.toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' } });
    body = res.data;
  } catch (err) {
    throw refusal(err);
  }
  const parsed = tokenResponseSchema.safeParse(safeJson(body));
  if (!parsed.success || parsed.data.token_type.toLowerCase() !== 'bearer') {
    throw new PartnerError(`asana ${OPERATION}: the answer is not a bearer token response`, {
      partner: ASANA,
      operation: OPERATION,
      status: 200,
      decision: { retry: false, reason: 'token response did not match the documented shape' },
      code: 'ASANA_OAUTH_UNEXPECTED_RESPONSE',
    });
  }
  return { accessToken: parsed.data.access_token, expiresAt: new Date(now() + parsed.data.expires_in * 1000) };
}

function refusal(err: unknown): unknown {
  if (!isPartnerError(err)) return err;
  if (err.status === undefined || err.status >= 500 || err.status === 429 || err.status === 408) {
    return new PartnerError(err.message, { partner: ASANA, operation: OPERATION, status: err.status, decision: err.decision, code: err.code ?? 'ASANA_OAUTH_UNAVAILABLE' });
  }
  // Only the RFC 6749 error code is kept: a description is free text we do not control.
  const error = oauthErrorSchema.safeParse(safeJson(err.rawBody)).data?.error;
  const known = (error && REFUSALS[error]) || OTHER_REFUSAL;
  return new PartnerError(`asana ${OPERATION}: HTTP ${err.status}${error ? ` ${error}` : ''}`, {
    partner: ASANA,
    operation: OPERATION,
    status: err.status,
    rawBody: error ? JSON.stringify({ error }) : undefined,
    decision: { retry: false, reason: 'Asana refused the refresh token: the connection must be reconnected' },
    code: known.code,
    hint: known.hint,
  });
}

function safeJson(text: string | undefined): unknown {
  try {
    return JSON.parse(text ?? '');
  } catch {
    return undefined;
  }
}
