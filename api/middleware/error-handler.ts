import { type ErrorRequestHandler, type RequestHandler } from 'express';
import { toApiError } from '../error-mapping';
import { ApiError } from '../errors';

/** The one JSON error shape: `{ error: { code, message, requestId } }`. Internal details never reach the client. */
export const errorHandler: ErrorRequestHandler = (err: unknown, req, res, _next) => {
  const requestId = String(req.id ?? '');
  let apiError = toApiError(err);
  if (!apiError) {
    req.log?.error({ err }, 'unhandled error');
    apiError = new ApiError('internal', 'internal error; quote the request id when reporting it');
  }
  if (res.headersSent) {
    res.end();
    return;
  }
  if (apiError.retryAfterSeconds !== undefined) res.setHeader('retry-after', String(apiError.retryAfterSeconds));
  res.status(apiError.status).json({
    error: { code: apiError.code, message: apiError.message, requestId, ...(apiError.details ? { details: apiError.details } : {}) },
  });
};

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new ApiError('not_found', `no route for ${req.method} ${req.path}`));
};
