import { isPartnerError } from '../core/partner-error';
import { type SystemCheck } from './types';

const messageOf = (err: unknown): string => (isPartnerError(err) ? (err.hint ?? err.message) : err instanceof Error ? err.message : String(err));

/** A connection-test line for a call that failed: the partner error's hint (what to fix) and code when it has them. */
export function failedCheck(system: string, check: string, err: unknown): SystemCheck {
  return { system, check, ok: false, message: messageOf(err), ...(isPartnerError(err) && err.code ? { code: err.code } : {}) };
}

/** The one line a connection test gives when the stored config itself does not parse: nothing else can be tried. */
export function configCheckFailed(err: unknown): SystemCheck[] {
  return [{ system: 'connection', check: 'config', ok: false, message: err instanceof Error ? err.message : String(err) }];
}
