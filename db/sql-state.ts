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
