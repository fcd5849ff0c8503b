/**
 * One error type for every partner call. What differs between failures is data (status, raw body, retry decision),
 * not a class per case: the engine reads `decision` to retry, back off, or dead-letter the record.
 */
export type RetryDecision =
  | { retry: true; reason: string; /** honour the partner's Retry-After (or equivalent) */ waitMs?: number }
  | { retry: false; reason: string };

export interface PartnerErrorDetails {
  partner: string;
  operation: string;
  status?: number;
  /** The partner's raw answer, kept verbatim for audit and dead letters. Never contains our credentials. */
  rawBody?: string;
  decision: RetryDecision;
  /** Machine-readable code, e.g. 'PS_ROUTING_NOT_FOUND', 'PS_158_45', 'ASANA_RATE_LIMITED'. */
  code?: string;
  /** What a human should do about it ("ask your PeopleSoft administrator to activate ..."). */
  hint?: string;
}

export class PartnerError extends Error {
  readonly partner: string;
  readonly operation: string;
  readonly status?: number;
  readonly rawBody?: string;
  readonly decision: RetryDecision;
  readonly code?: string;
  readonly hint?: string;

  constructor(message: string, details: PartnerErrorDetails) {
    super(message);
    this.name = 'PartnerError';
    this.partner = details.partner;
    this.operation = details.operation;
    this.status = details.status;
    this.rawBody = details.rawBody;
    this.decision = details.decision;
    this.code = details.code;
    this.hint = details.hint;
  }
}

export function isPartnerError(err: unknown): err is PartnerError {
  return err instanceof PartnerError;
}

/** Parses a Retry-After header: delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | undefined | null, now: number): number | undefined {
  if (value === undefined || value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds * 1000));
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The default decision for an HTTP status. Transient: network errors, 408, 409, 429, 5xx. Permanent: every other 4xx
 * (validation, auth, not found), which dead-letters the record with the partner's raw answer.
 */
export function decideForStatus(status: number | undefined, retryAfterMs?: number): RetryDecision {
  if (status === undefined) return { retry: true, reason: 'no response (network error or timeout)' };
  if (status === 429) return { retry: true, reason: 'rate limited (429)', waitMs: retryAfterMs };
  if (status === 408 || status === 409) return { retry: true, reason: `transient ${status}` };
  if (status >= 500) return { retry: true, reason: `partner server error ${status}`, waitMs: retryAfterMs };
  if (status >= 400) return { retry: false, reason: `rejected by partner (${status})` };
  return { retry: false, reason: `unexpected status ${status}` };
}
