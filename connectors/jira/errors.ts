import { z } from 'zod';
import { PartnerError, type RetryDecision } from '../../core/partner-error';
import { JIRA } from './provider';

/** Jira's error body, spec `ErrorCollection`: `{"errorMessages":[...],"errors":{field: message},"status"?}`. */
export const errorCollectionSchema = z.object({ errorMessages: z.array(z.string()).default([]), errors: z.record(z.string(), z.string()).default({}) }).loose();

/** "errorMessages; field: message" for our error text; the raw body itself is kept verbatim on the error. */
export function jiraMessage(rawBody: string | undefined): string | undefined {
  try {
    const parsed = errorCollectionSchema.safeParse(JSON.parse(rawBody ?? ''));
    if (!parsed.success) return undefined;
    const parts = [...parsed.data.errorMessages, ...Object.entries(parsed.data.errors).map(([f, m]) => `${f}: ${m}`)];
    return parts.length > 0 ? parts.join('; ').slice(0, 500) : undefined;
  } catch {
    return undefined;
  }
}

const CODES: Record<number, string> = {
  400: 'JIRA_INVALID_REQUEST',
  401: 'JIRA_UNAUTHORIZED',
  403: 'JIRA_FORBIDDEN',
  404: 'JIRA_NOT_FOUND',
  409: 'JIRA_CONFLICT',
  410: 'JIRA_API_REMOVED',
  413: 'JIRA_TOO_LARGE',
  422: 'JIRA_UNPROCESSABLE',
  429: 'JIRA_RATE_LIMITED',
};

const HINTS: Record<number, string> = {
  401: 'Jira refused the credentials: the API token may have expired or the OAuth grant was revoked; update the connection credentials.',
  403: 'The Jira user or app lacks a permission (browse, create, edit, transition, or manage webhooks) on this project.',
  404: 'The Jira issue or project does not exist or is not visible to this user.',
  410: 'Jira removed this API; the connector needs an update.',
};

export function jiraError(err: PartnerError, decision: RetryDecision = err.decision, extra: { code?: string; hint?: string } = {}): PartnerError {
  const detail = jiraMessage(err.rawBody);
  return new PartnerError(detail ? `${err.message}: ${detail}` : err.message, {
    partner: JIRA,
    operation: err.operation,
    status: err.status,
    rawBody: err.rawBody,
    decision,
    code: extra.code ?? (err.code?.startsWith('NETWORK_') ? err.code : err.status === undefined ? 'JIRA_NO_RESPONSE' : (CODES[err.status] ?? `JIRA_HTTP_${err.status}`)),
    hint: extra.hint ?? (err.status === undefined ? undefined : HINTS[err.status]),
  });
}
