import { z } from 'zod';
import { type AccessToken } from '../../core/oauth-token-store';
import { isPartnerError, PartnerError } from '../../core/partner-error';
import { type PartnerHttp } from '../http/partner-request';
import type { JaggaerAuth } from './config';
import { JAGGAER } from './provider';

const OPERATION = 'POST openid-connect/token (client_credentials)';

/** Keycloak's token answer: only what we use; `refresh_expires_in`, `not-before-policy`, `scope` are ignored. */
const tokenResponseSchema = z.object({ access_token: z.string().min(1), expires_in: z.number().positive(), token_type: z.string() }).loose();
/** RFC 6749 §5.2 error answer, e.g. Keycloak's `401 {"error":"unauthorized_client","error_description":...}`. */
const oauthErrorSchema = z.object({ error: z.string().regex(/^[\w.-]{1,64}$/) }).loose();

const REFUSALS: Record<string, { code: string; hint: string }> = {
  unauthorized_client: {
    code: 'JAGGAER_OAUTH_INVALID_CLIENT',
    hint: 'JAGGAER did not accept the integration client id or secret: fix them in the connection credentials (ask the JAGGAER administrator for the J1p-integrations client).',
  },
  invalid_client: {
    code: 'JAGGAER_OAUTH_INVALID_CLIENT',
    hint: 'JAGGAER did not accept the integration client id or secret: fix them in the connection credentials (ask the JAGGAER administrator for the J1p-integrations client).',
  },
};
const OTHER_REFUSAL = {
  code: 'JAGGAER_OAUTH_REFUSED',
  hint: 'JAGGAER refused the client credentials grant: check that the integration client exists in the J1p-integrations realm and may use client credentials.',
};

/**
 * Client credentials grant at the instance's Keycloak realm: POST {instance}/auth/realms/J1p-integrations/protocol/
 * openid-connect/token, form `client_id, client_secret, grant_type=client_credentials` -> `{access_token, expires_in}`
 * (UCLALibrary/jaggaer-api jaggaer_api_client.py; Keycloak token endpoint:
 * https://www.keycloak.org/docs/latest/securing_apps/#_client_credentials_grant). No refresh token is used: a new
 * grant is as cheap and needs no state.
 *
 * Errors carry no request or response body (the request holds the secret, the answer the token). A refusal (4xx) is
 * a configuration error: permanent, with a hint. No answer or a 5xx is transient.
 */
export async function requestToken(http: PartnerHttp, auth: JaggaerAuth, now: () => number): Promise<AccessToken> {
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: auth.clientId, client_secret: auth.clientSecret });
  let body: string;
  try {
    const res = await http.request({ operation: OPERATION, method: 'POST', url: '', data: form.toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' } });
    body = res.data;
  } catch (err) {
    throw refusal(err);
  }
  const parsed = tokenResponseSchema.safeParse(safeJson(body));
  if (!parsed.success || parsed.data.token_type.toLowerCase() !== 'bearer') {
    throw new PartnerError(`jaggaer ${OPERATION}: the answer is not a bearer token response`, {
      partner: JAGGAER,
      operation: OPERATION,
      status: 200,
      decision: { retry: false, reason: 'token response did not match the documented shape' },
      code: 'JAGGAER_OAUTH_UNEXPECTED_RESPONSE',
    });
  }
  return { accessToken: parsed.data.access_token, expiresAt: new Date(now() + parsed.data.expires_in * 1000) };
}

function refusal(err: unknown): unknown {
  if (!isPartnerError(err)) return err;
  if (err.status === undefined || err.status >= 500 || err.status === 429 || err.status === 408) {
    return new PartnerError(err.message, { partner: JAGGAER, operation: OPERATION, status: err.status, decision: err.decision, code: err.code ?? 'JAGGAER_OAUTH_UNAVAILABLE' });
  }
  // Only the RFC 6749 error code is kept: the description is free text we do not control.
  const error = oauthErrorSchema.safeParse(safeJson(err.rawBody)).data?.error;
  const known = (error && REFUSALS[error]) || OTHER_REFUSAL;
  return new PartnerError(`jaggaer ${OPERATION}: HTTP ${err.status}${error ? ` ${error}` : ''}`, {
    partner: JAGGAER,
    operation: OPERATION,
    status: err.status,
    rawBody: error ? JSON.stringify({ error }) : undefined,
    decision: { retry: false, reason: 'JAGGAER refused the client credentials: the connection credentials must be fixed' },
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
