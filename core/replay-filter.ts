import type { ReplayFilter } from './sync-types';

/**
 * Checks a dead-letter replay filter before a workflow accepts it (the update's validator): a refused update never
 * reaches history, and the connection is never held by an activity whose input no retry can make valid.
 * Pure and deterministic (workflow code). The API refuses the same inputs earlier with field-level messages.
 */
const MAX_TEXT = 500;
const MAX_KEYS = 1_000;

function textProblem(value: unknown, field: string): string | undefined {
  if (typeof value !== 'string') return `${field} must be a string`;
  if (value.length === 0 || value.length > MAX_TEXT) return `${field} must be 1-${MAX_TEXT} characters`;
  if (value.includes('\u0000')) return `${field} must not contain NUL characters`;
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(value)) return `${field} must not contain unpaired surrogates`;
  return undefined;
}

export function replayFilterProblem(filter: ReplayFilter | undefined | null): string | undefined {
  if (filter === null || typeof filter !== 'object') return 'the filter must be an object';
  if (filter.ids !== undefined) {
    if (!Array.isArray(filter.ids) || filter.ids.length > MAX_KEYS) return `ids must be a list of at most ${MAX_KEYS}`;
    // Ids are PostgreSQL bigserials, read as safe integers: anything else matches nothing and must not reach SQL.
    if (filter.ids.some((id) => !Number.isSafeInteger(id) || id <= 0)) return 'ids must be positive integers (at most 2^53 - 1)';
  }
  if (filter.recordKeys !== undefined) {
    if (!Array.isArray(filter.recordKeys) || filter.recordKeys.length > MAX_KEYS) return `recordKeys must be a list of at most ${MAX_KEYS}`;
    for (const key of filter.recordKeys) {
      const problem = textProblem(key, 'recordKeys[]');
      if (problem) return problem;
    }
  }
  for (const field of ['flow', 'errorCode'] as const) {
    if (filter[field] === undefined) continue;
    const problem = textProblem(filter[field], field);
    if (problem) return problem;
  }
  return undefined;
}
