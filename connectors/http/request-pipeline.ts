import { isPartnerError, PartnerError, type RetryDecision } from '../../core/partner-error';
import type { PartnerRequest } from './partner-request';
import type { CredentialRateLimiter, RequestKind } from './rate-limiter';

/**
 * The loop every token-authenticated partner client runs around one call, written once: the request goes through the
 * credential's rate limiter (concurrency, shared budget, 429 pause); a throttled answer is retried here a few times
 * (after the limiter's pause, or whatever the partner's hook waits); a 401 gets one new token and one retry; any
 * other failure is restated as the partner's own error (code, hint, message). What differs between partners (which
 * statuses are retried, what to wait, which errors are already final, codes and hints) is data and hooks.
 */
export interface AccessTokenSource {
  current(): Promise<string>;
  /** A new token after the partner refused `rejected`; undefined when there is nothing to renew (a static PAT). */
  renewAfterRejection(rejected: string): Promise<string | undefined>;
}

export interface RequestPipeline {
  limiter: CredentialRateLimiter;
  tokens: AccessTokenSource;
  /** Retries of throttled answers before the error goes up to the activity's retry policy. */
  maxRetries: number;
  /** Errors that are already complete (our own response checks, another partner's errors): thrown unchanged. */
  final?: (err: PartnerError) => boolean;
  /** Whether this error is retried here (429 for every partner; more for some). */
  retryable: (err: PartnerError, kind: RequestKind) => boolean;
  /** Waits (or paces) before a retry; without it the limiter's own 429 pause is the wait. */
  beforeRetry?: (err: PartnerError, attempt: number) => void | Promise<void>;
  /** The partner's error for a failure that goes up. */
  restate: (err: PartnerError) => PartnerError;
}

/** Runs `attempt` with the current token until it succeeds or fails for good (see RequestPipeline). */
export async function sendThroughPipeline<T>(pipeline: RequestPipeline, kind: RequestKind, attempt: (token: string) => Promise<T>): Promise<T> {
  // Outside the try: a refused grant is already a complete PartnerError (code, hint) and is not re-wrapped.
  let token = await pipeline.tokens.current();
  let renewed = false;
  for (let retries = 0; ; ) {
    try {
      return await pipeline.limiter.run(kind, () => attempt(token));
    } catch (err) {
      if (!isPartnerError(err) || err.code === 'OUTBOUND_URL_REFUSED' || pipeline.final?.(err)) throw err;
      // A token can expire between our check and the partner's, or be revoked: one renewal (shared), one retry.
      if (err.status === 401 && !renewed) {
        renewed = true;
        const next = await pipeline.tokens.renewAfterRejection(token);
        if (next !== undefined) {
          token = next;
          continue;
        }
      }
      if (pipeline.retryable(err, kind) && retries < pipeline.maxRetries) {
        await pipeline.beforeRetry?.(err, retries);
        retries += 1;
        continue;
      }
      throw pipeline.restate(err);
    }
  }
}

/** Query parameters without the undefined ones (axios would send `key=`). */
export function definedParams<V>(query: Record<string, V | undefined> | undefined): Record<string, V> {
  return Object.fromEntries(Object.entries(query ?? {}).filter(([, v]) => v !== undefined)) as Record<string, V>;
}

/** `Authorization: Bearer`, plus the JSON content type when a body is sent. */
export function bearerHeaders(token: string, hasBody: boolean): Record<string, string> {
  return { Authorization: `Bearer ${token}`, ...(hasBody ? { 'Content-Type': 'application/json' } : {}) };
}

export interface BearerCall {
  operation: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
}

/** The request of one call with a bearer token: defined query parameters, the body as `encode` writes it. */
export function bearerRequest(call: BearerCall, token: string, encode: (body: unknown) => string = JSON.stringify): PartnerRequest {
  return {
    operation: call.operation,
    method: call.method,
    url: call.path,
    params: definedParams(call.query),
    headers: bearerHeaders(token, call.body !== undefined),
    ...(call.body === undefined ? {} : { data: encode(call.body) }),
  };
}

export interface PartnerErrorStyle {
  partner: string;
  /** The partner's code for an HTTP status (undefined: no answer); network codes (NETWORK_*) are kept as they are. */
  code: (status: number | undefined) => string;
  hints?: Record<number, string>;
  /** What the partner's error body says, added to the message (never our credentials: the body is the partner's). */
  detail?: (rawBody: string | undefined) => string | undefined;
  decision?: (err: PartnerError) => RetryDecision;
}

/** The shared HTTP layer's error restated as the partner's: its code, hint and message, the raw body kept. */
export function restateAs(style: PartnerErrorStyle, err: PartnerError): PartnerError {
  const detail = style.detail?.(err.rawBody);
  return new PartnerError(detail ? `${err.message}: ${detail}` : err.message, {
    partner: style.partner,
    operation: err.operation,
    status: err.status,
    rawBody: err.rawBody,
    decision: style.decision?.(err) ?? err.decision,
    code: err.code?.startsWith('NETWORK_') ? err.code : style.code(err.status),
    hint: err.status === undefined ? undefined : style.hints?.[err.status],
  });
}
