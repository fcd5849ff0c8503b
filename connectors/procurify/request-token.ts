import { z } from 'zod';
import { type AccessToken } from '../../core/oauth-token-store';
import { isPartnerError, PartnerError } from '../../core/partner-error';
import { type PartnerHttp } from '../http/partner-request';
import type { ProcurifyAuth } from './config';
import { PROCURIFY, PROCURIFY_TOKEN_LIFETIME_S, PROCURIFY_TOKEN_PATH } from './provider';

const OPERATION = 'POST /oauth/token (client_credentials)';

/** OauthTokenRequestResponse (procurify_openapi.yaml): `token_type` is the enum ["Bearer"]. */
const tokenResponseSchema = z
  .object({ access_token: z.string().min(1), expires_in: z.number().positive().optional(), token_type: z.string(), scope: z.string().optional() })
  .loose();
/** An OAuth error code only (RFC 6749 §5.2); free-text descriptions are not kept. */
const oauthErrorSchema = z.object({ error: z.string().regex(/^[\w.-]{1,64}$/) }).loose();

/**
 * Asks for an access token with the client credentials grant. Per https://developer.procurify.com/tag/oauth:
 * POST https://<domain>.procurify.com/oauth/token, JSON `{client_id, client_secret, audience:
 * "https://api.procurify.com/", grant_type: "client_credentials"}` -> `{access_token, scope, expires_in: 86400,
 * token_type: "Bearer"}`; "cache it until it expires (24 hrs)".
 *
 * Errors carry no request or response body (the request holds the secret, the answer the token). A 4xx is a
 * configuration error (permanent, with a hint); no answer or a 5xx is transient.
 */
export async function requestAccessToken(http: PartnerHttp, auth: ProcurifyAuth, audience: string, now: () => number): Promise<AccessToken> {
  const body = { client_id: auth.clientId, client_secret: auth.clientSecret, audience, grant_type: 'client_credentials' };
  let text: string;
  try {
    const res = await http.request({
      operation: OPERATION,
      method: 'POST',
      url: PROCURIFY_TOKEN_PATH,
      data: JSON.stringify(body),
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    });
    text = res.data;
  } catch (err) {
    throw refusal(err);
  }
  const parsed = tokenResponseSchema.safeParse(safeJson(text));
  if (!parsed.success || parsed.data.token_type.toLowerCase() !== 'bearer') {
    throw new PartnerError(`procurify ${OPERATION}: the answer is not a bearer token response`, {
      partner: PROCURIFY,
      operation: OPERATION,
      status: 200,
      decision: { retry: false, reason: 'token response did not match the documented shape' },
      code: 'PROCURIFY_OAUTH_UNEXPECTED_RESPONSE',
    });
  }
  const lifetime = parsed.data.expires_in ?? PROCURIFY_TOKEN_LIFETIME_S;
  return { accessToken: parsed.data.access_token, expiresAt: new Date(now() + lifetime * 1000) };
}

function refusal(err: unknown): unknown {
  if (!isPartnerError(err)) return err;
  if (err.status === undefined || err.status >= 500 || err.status === 429 || err.status === 408) {
    return new PartnerError(err.message, { partner: PROCURIFY, operation: OPERATION, status: err.status, decision: err.decision, code: err.code ?? 'PROCURIFY_OAUTH_UNAVAILABLE' });
  }
  const error = oauthErrorSchema.safeParse(safeJson(err.rawBody)).data?.error;
  return new PartnerError(`procurify ${OPERATION}: HTTP ${err.status}${error ? ` ${error}` : ''}`, {
    partner: PROCURIFY,
    operation: OPERATION,
    status: err.status,
    rawBody: error ? JSON.stringify({ error }) : undefined,
    decision: { retry: false, reason: 'Procurify refused the client credentials' },
    code: 'PROCURIFY_OAUTH_REFUSED',
    hint: 'Procurify did not accept the client id or secret: create a new API application under Settings > Integrations > API and update the connection credentials.',
  });
}

function safeJson(text: string | undefined): unknown {
  try {
    return JSON.parse(text ?? '');
  } catch {
    return undefined;
  }
}
