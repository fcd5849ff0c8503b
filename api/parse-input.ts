import { type z } from 'zod';
import { fieldProblems } from '../core/connection-request';
import { ApiError } from './errors';

/** zod at the edge: 422 listing every problem by field path, never echoing the input (it may hold secrets). */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, what: 'body' | 'query' | 'path' = 'body'): z.output<S> {
  const result = schema.safeParse(value ?? (what === 'body' ? undefined : {}));
  if (!result.success) throw new ApiError('unprocessable', `the request ${what} is invalid`, fieldProblems(result.error));
  return result.data;
}
