import type { NextFunction, Request, Response } from 'express';
import type { PartnerErrorShapes } from '../kit/faults';

/**
 * Asana's error envelope: `{"errors":[{"message","help"}]}`, plus `phrase` on 500s only.
 * Spec `ErrorResponse`/`Error` (asana_oas.yaml L3584-3631); status codes and messages:
 * https://developers.asana.com/docs/errors (Asana/developer-docs `_errors.html.md`).
 */
const HELP = 'For more information on API status codes and how to handle them, read the docs on errors: https://developers.asana.com/docs/errors';

export const RATE_LIMIT_MESSAGE =
  "You've made too many requests and hit a rate limit. Please retry after the given amount of time.";

export class AsanaHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function errorBody(status: number, message: string): { errors: { message: string; help: string; phrase?: string }[] } {
  // "phrase": a random phrase Asana support can use to find the failure in their logs (500 only).
  const phrase = status >= 500 && status < 600 ? '6 sad squid snuggle softly' : undefined;
  return { errors: [{ message, help: HELP, ...(phrase ? { phrase } : {}) }] };
}

export const badRequest = (message: string) => new AsanaHttpError(400, message);
export const notFound = (message = 'Not Found') => new AsanaHttpError(404, message);
export const forbidden = (message: string) => new AsanaHttpError(403, message);

export function sendError(res: Response, err: AsanaHttpError): void {
  res.status(err.status).set(err.headers).json(errorBody(err.status, err.message));
}

/** Last middleware: typed errors keep their status; anything else is Asana's 500 with a phrase. */
export function errorMiddleware() {
  return (err: unknown, _req: Request, res: Response, _next: NextFunction): void => {
    if (err instanceof AsanaHttpError) return sendError(res, err);
    const parseFailed = (err as { type?: string }).type === 'entity.parse.failed';
    if (parseFailed) return sendError(res, badRequest('Could not parse request data, invalid JSON'));
    sendError(res, new AsanaHttpError(500, 'Server Error'));
  };
}

/** The shapes FaultInjector uses, so injected 429s/5xx look exactly like Asana's own. */
export const asanaErrorShapes: PartnerErrorShapes = {
  tooManyRequests: (retryAfterSeconds) => ({
    body: errorBody(429, RATE_LIMIT_MESSAGE),
    headers: { 'Retry-After': String(retryAfterSeconds) },
  }),
  serverError: (status) => ({ body: errorBody(status, status === 500 ? 'Server Error' : 'Service Unavailable') }),
};
