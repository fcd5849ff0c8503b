import { type ErrorRequestHandler, type RequestHandler } from 'express';
import { ApiError } from '../errors';

/** The one JSON error shape: `{ error: { code, message, requestId } }`. Internal details never reach the client. */
export const errorHandler: ErrorRequestHandler = (err: unknown, req, res, _next) => {
  const requestId = String(req.id ?? '');
  let apiError: ApiError;
  if (err instanceof ApiError) apiError = err;
  else if (isBodyParserError(err)) {
    apiError = err.type === 'entity.too.large' ? new ApiError('payload_too_large', 'request body is too large') : new ApiError('bad_request', 'request body is not valid JSON');
  } else {
    req.log?.error({ err }, 'unhandled error');
    apiError = new ApiError('internal', 'internal error; quote the request id when reporting it');
  }
  res.status(apiError.status).json({
    error: { code: apiError.code, message: apiError.message, requestId, ...(apiError.details ? { details: apiError.details } : {}) },
  });
};

function isBodyParserError(err: unknown): err is { type: string } {
  return typeof err === 'object' && err !== null && 'type' in err && typeof (err as { type: unknown }).type === 'string' && 'status' in err;
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new ApiError('not_found', `no route for ${req.method} ${req.path}`));
};
