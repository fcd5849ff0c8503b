import { DbError } from './pool';

/** PostgreSQL SQLSTATE of a wrapped driver error (https://www.postgresql.org/docs/current/errcodes-appendix.html). */
export function sqlStateOf(err: unknown): string | undefined {
  const cause = err instanceof DbError ? (err.cause as { code?: unknown } | undefined) : undefined;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}

export const UNIQUE_VIOLATION = '23505';

/**
 * Errors no retry can fix: the statement or its values are wrong (class 22 data exception, e.g. a NUL in text or a
 * number out of range; class 42 syntax or access rule). Connection losses, deadlocks and shutdowns are not here.
 */
export function isPermanentDbError(err: unknown): boolean {
  const state = sqlStateOf(err);
  return state !== undefined && (state.startsWith('22') || state.startsWith('42'));
}

/**
 * SQLSTATEs of a server that is gone or not taking work yet: class 08 (connection exception), 57P01 admin shutdown,
 * 57P02 crash shutdown, 57P03 cannot connect now (starting up, crash recovery), 53300 too many connections.
 */
const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '53300']);
/** Socket errors of a server that is down or restarting. */
const UNAVAILABLE_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ECONNABORTED']);
/** node-postgres' own texts for a connection lost or never made (it sets no code on them). */
const UNAVAILABLE_MESSAGES = [/^Connection terminated/, /^timeout exceeded when trying to connect/, /is not queryable$/];

/**
 * Whether an error says PostgreSQL is unreachable for now (killed, restarting, in crash recovery, out of
 * connections): the driver's error itself, or the one a DbError wraps. A retry later can succeed, so activities treat
 * it as transient (never a dead letter) and the API answers 503, never 500. Only a DbError's cause is followed: an
 * HTTP client's "fetch failed" caused by ECONNREFUSED is a partner that is down, not the database.
 */
export function isDbUnavailable(err: unknown): boolean {
  const e = err instanceof DbError ? err.cause : err;
  if (typeof e !== 'object' || e === null) return false;
  const { code, message, errors } = e as { code?: unknown; message?: unknown; errors?: unknown };
  if (typeof code === 'string' && (code.startsWith('08') || UNAVAILABLE_STATES.has(code) || UNAVAILABLE_ERRNOS.has(code))) return true;
  if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((m) => m.test(message))) return true;
  // Connecting to a host name with several addresses fails with an AggregateError of each refusal.
  return Array.isArray(errors) && errors.length > 0 && errors.every((x) => isDbUnavailable(x));
}
