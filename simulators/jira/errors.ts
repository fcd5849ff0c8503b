import type { NextFunction, Request, Response } from 'express';
import type { PartnerErrorShapes } from '../kit/faults';

/**
 * Jira's error body, spec `ErrorCollection` (jira_platform_v3.json): `{"errorMessages":[...],"errors":{field:msg}}`,
 * e.g. createIssue's documented 400 `{"errorMessages":["Field 'priority' is required"],"errors":{}}`.
 */
export class JiraHttpError extends Error {
  constructor(
    readonly status: number,
    readonly errorMessages: string[],
    readonly errors: Record<string, string> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(errorMessages[0] ?? Object.values(errors)[0] ?? `HTTP ${status}`);
  }
}

export const badRequest = (messages: string[], errors: Record<string, string> = {}) => new JiraHttpError(400, messages, errors);
export const fieldError = (field: string, message: string) => new JiraHttpError(400, [], { [field]: message });
export const notFound = (message = 'Issue does not exist or you do not have permission to see it.') => new JiraHttpError(404, [message]);

export function sendError(res: Response, err: JiraHttpError): void {
  res.status(err.status).set(err.headers).json({ errorMessages: err.errorMessages, errors: err.errors });
}

export function errorMiddleware() {
  return (err: unknown, _req: Request, res: Response, _next: NextFunction): void => {
    if (err instanceof JiraHttpError) return sendError(res, err);
    // Jira's answer to a body that is not JSON (Jackson's parse error).
    if ((err as { type?: string }).type === 'entity.parse.failed') return sendError(res, badRequest(['Unexpected character in request body: the body is not valid JSON.']));
    sendError(res, new JiraHttpError(500, ['Internal server error']));
  };
}

/** Injected faults look like Jira's own answers: a burst-limit 429 and an error collection on 5xx. */
export const jiraErrorShapes: PartnerErrorShapes = {
  tooManyRequests: (retryAfterSeconds) => ({
    body: { errorMessages: ['Rate limit exceeded.'], errors: {} },
    headers: { 'Retry-After': String(retryAfterSeconds), 'RateLimit-Reason': 'jira-burst-based' },
  }),
  serverError: (status) => ({ body: { errorMessages: [status === 503 ? 'Service Unavailable' : 'Internal server error'], errors: {} } }),
};
