import { z } from 'zod';
import { isPartnerError, PartnerError } from '../../core/partner-error';
import type { PartnerHttp } from '../http/partner-request';

/** RFC 6749 §5.2 error answer (https://datatracker.ietf.org/doc/html/rfc6749#section-5.2): only the code is kept. */
const oauthErrorSchema = z.object({ error: z.string().regex(/^[\w.-]{1,64}$/) }).loose();

/** How one partner's token endpoint is called and how its refusals are explained. */
export interface TokenEndpoint {
  partner: string;
  operation: string;
  /** Relative to the HTTP client's base URL ('' when the base URL is the endpoint). */
  path: string;
  /** Form-encoded (RFC 6749 §4.4.2, §6) or JSON (Atlassian, Procurify). */
  encoding: 'form' | 'json';
  /** Code for a transient failure (no answer, 5xx, 408, 429) that has none. */
  unavailableCode: string;
  /** A 4xx refusal, by its RFC 6749 error code: permanent, so it says what to fix. */
  refused(error: string | undefined): { code: string; hint: string; reason: string };
}

/**
 * POSTs a token request and returns the answer parsed as JSON (undefined when it is not JSON), for the caller's
 * schema. Errors carry no request or response body: the request holds the client secret (and a refresh token), a
 * successful answer holds the access token. A refusal keeps only the RFC 6749 error code: a description is free text
 * we do not control.
 */
export async function postTokenRequest(http: PartnerHttp, endpoint: TokenEndpoint, params: Record<string, string>): Promise<unknown> {
  const form = endpoint.encoding === 'form';
  try {
    const res = await http.request({
      operation: endpoint.operation,
      method: 'POST',
      url: endpoint.path,
      data: form ? new URLSearchParams(params).toString() : JSON.stringify(params),
      headers: { 'Content-Type': form ? 'application/x-www-form-urlencoded' : 'application/json', Accept: 'application/json' },
    });
    return safeJson(res.data);
  } catch (err) {
    throw refusal(endpoint, err);
  }
}

/** The answer did not match the partner's documented token response: permanent, nothing to retry. */
export function unexpectedTokenResponse(endpoint: TokenEndpoint, what: string, code: string): PartnerError {
  return new PartnerError(`${endpoint.partner} ${endpoint.operation}: the answer is not ${what}`, {
    partner: endpoint.partner,
    operation: endpoint.operation,
    status: 200,
    decision: { retry: false, reason: 'token response did not match the documented shape' },
    code,
  });
}

function refusal(endpoint: TokenEndpoint, err: unknown): unknown {
  if (!isPartnerError(err)) return err;
  const { partner, operation } = endpoint;
  if (err.status === undefined || err.status >= 500 || err.status === 429 || err.status === 408) {
    return new PartnerError(err.message, { partner, operation, status: err.status, decision: err.decision, code: err.code ?? endpoint.unavailableCode });
  }
  const error = oauthErrorSchema.safeParse(safeJson(err.rawBody)).data?.error;
  const known = endpoint.refused(error);
  return new PartnerError(`${partner} ${operation}: HTTP ${err.status}${error ? ` ${error}` : ''}`, {
    partner,
    operation,
    status: err.status,
    rawBody: error ? JSON.stringify({ error }) : undefined,
    decision: { retry: false, reason: known.reason },
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
