import { WorkflowUpdateFailedError } from '@temporalio/client';
import { isDbUnavailable, sqlStateOf, UNIQUE_VIOLATION } from '../db/sql-state';
import { ApiError } from './errors';

/**
 * Every error a request can end in, as the one API error: ours as they are, the framework's (body-parser, router:
 * they carry `status`/`statusCode` and a `type`) as the 4xx they mean, database data errors as what the caller sent
 * wrong. Only what is left is a 500. Messages are fixed texts: a framework's message can echo input or internals.
 */
const BODY_PARSER_TYPES: Record<string, ApiError> = {
  'entity.parse.failed': new ApiError('bad_request', 'request body is not valid JSON'),
  'entity.too.large': new ApiError('payload_too_large', 'request body is too large'),
  'encoding.unsupported': new ApiError('unsupported_media_type', 'unsupported Content-Encoding (send identity, gzip, deflate or br)'),
  'charset.unsupported': new ApiError('unsupported_media_type', 'unsupported charset (send UTF-8)'),
  'request.aborted': new ApiError('bad_request', 'the request body was aborted before it was complete'),
  'request.size.invalid': new ApiError('bad_request', 'the request body does not match its Content-Length'),
  'stream.not.readable': new ApiError('bad_request', 'the request body could not be read'),
};

function statusOf(err: object): number | undefined {
  const e = err as { status?: unknown; statusCode?: unknown };
  const status = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : undefined;
  return status !== undefined && Number.isInteger(status) ? status : undefined;
}

function fromStatus(status: number): ApiError {
  if (status === 404) return new ApiError('not_found', 'not found');
  if (status === 413) return new ApiError('payload_too_large', 'request body is too large');
  if (status === 415) return new ApiError('unsupported_media_type', 'unsupported Content-Type or Content-Encoding');
  // Malformed percent-encoding in the URL (router), a body that is not what its Content-Encoding says (bad gzip)...
  return new ApiError('bad_request', 'the request is malformed (URL encoding, body encoding or framing)');
}

/**
 * Connection ids are one namespace across customers. Whoever holds an id, the caller hears the same thing: this id is
 * not available (never whose it is, or that it belongs to another customer).
 */
export const ID_NOT_AVAILABLE = 'that id is not available: choose another one, or omit it to get a generated one';

/** PostgreSQL down or restarting: a pooled connection comes back within seconds of the server, so ask again soon. */
export const DB_RETRY_AFTER_SECONDS = 5;

export function toApiError(err: unknown): ApiError | undefined {
  if (err instanceof ApiError) return err;
  // The server is killed, restarting or in crash recovery: nothing is wrong with the request, it can be sent again.
  if (isDbUnavailable(err)) return new ApiError('unavailable', 'the database is unavailable for the moment; retry shortly', undefined, DB_RETRY_AFTER_SECONDS);
  if (err instanceof WorkflowUpdateFailedError) {
    // A validator refused the input, or the update's activity failed for good (a non-retryable failure).
    const cause = err.cause instanceof Error ? (err.cause.cause instanceof Error ? err.cause.cause.message : err.cause.message) : 'no reason given';
    return new ApiError('unprocessable', `the workflow refused the request: ${cause}`);
  }
  const state = sqlStateOf(err);
  // Concurrent creates of one id: the first insert wins, the others land here.
  if (state === UNIQUE_VIOLATION) return new ApiError('conflict', ID_NOT_AVAILABLE);
  // Class 22 (data exception): a value the database cannot hold. The edge should have refused it first.
  if (state?.startsWith('22')) return new ApiError('unprocessable', 'a value in the request cannot be stored (invalid characters or out of range)');
  if (typeof err !== 'object' || err === null) return undefined;
  const type = (err as { type?: unknown }).type;
  const known = typeof type === 'string' ? BODY_PARSER_TYPES[type] : undefined;
  const status = statusOf(err);
  if (known && status !== undefined && status < 500) return known;
  if (status !== undefined && status >= 400 && status < 500) return fromStatus(status);
  if (err instanceof URIError) return fromStatus(400);
  return undefined;
}
