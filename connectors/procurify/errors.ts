import type { PartnerError } from '../../core/partner-error';
import { restateAs } from '../http/request-pipeline';
import { PROCURIFY } from './provider';

/**
 * Procurify's API is Django REST Framework (its list serializers, `format=csv|json` renderer switch and `{detail}`
 * error bodies), so refusals come back as `{"detail": "..."}` or field errors `{"name": ["..."]}`. The first message
 * goes into our error text; it never holds our credentials.
 */
export function procurifyMessage(rawBody: string | undefined): string | undefined {
  try {
    const parsed = JSON.parse(rawBody ?? '') as unknown;
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const obj = parsed as Record<string, unknown>;
    if (typeof obj.detail === 'string') return obj.detail;
    for (const [field, value] of Object.entries(obj)) {
      if (Array.isArray(value) && typeof value[0] === 'string') return `${field}: ${value[0]}`;
    }
    return undefined;
  } catch {
    return undefined;
  }
}

export function procurifyCode(status: number | undefined): string {
  if (status === undefined) return 'PROCURIFY_NO_RESPONSE';
  const named: Record<number, string> = {
    400: 'PROCURIFY_INVALID_REQUEST',
    401: 'PROCURIFY_UNAUTHORIZED',
    403: 'PROCURIFY_FORBIDDEN',
    404: 'PROCURIFY_NOT_FOUND',
    429: 'PROCURIFY_RATE_LIMITED',
  };
  return named[status] ?? `PROCURIFY_HTTP_${status}`;
}

const HINTS: Record<number, string> = {
  401: 'Procurify refused the access token even after a new one was requested: check that the API application still exists (Settings > Integrations > API).',
  403: "The Procurify user behind the API application lacks the permission for this call: grant the role access to it in Procurify's user roles.",
};

/** A transport error from the shared HTTP layer, restated with Procurify's message, code and hint. */
export function restate(err: PartnerError): PartnerError {
  return restateAs({ partner: PROCURIFY, code: procurifyCode, hints: HINTS, detail: procurifyMessage }, err);
}
