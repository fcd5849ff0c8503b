import type { NextFunction, Request, Response } from 'express';
import type { PartnerErrorShapes } from '../kit/faults';

/**
 * Procurify answers like Django REST Framework (its `Paginated…List` serializers, `format=csv|json`): errors are
 * `{"detail": "..."}`, field errors `{"field": ["..."]}`. Texts below are DRF's defaults; Procurify documents no error
 * bodies of its own (procurify_openapi.yaml declares none), so they are UNCONFIRMED beyond that.
 */
export class ProcurifyHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof (body as { detail?: unknown }).detail === 'string' ? (body as { detail: string }).detail : `HTTP ${status}`);
  }
}

export const detail = (status: number, text: string, headers?: Record<string, string>) => new ProcurifyHttpError(status, { detail: text }, headers);
export const notFound = () => detail(404, 'Not found.');
export const fieldErrors = (errors: Record<string, string[]>) => new ProcurifyHttpError(400, errors);

/**
 * A URL no route matches never reaches DRF: Django answers its own production 404 page (DEBUG off), HTML, not
 * DRF's `{"detail": "Not found."}`, which is for an object a DRF view did not find
 * (https://docs.djangoproject.com/en/stable/ref/views/#the-404-page-not-found-view).
 */
const NOT_FOUND_HTML = '\n<!doctype html>\n<html lang="en">\n<head>\n  <title>Not Found</title>\n</head>\n<body>\n  <h1>Not Found</h1><p>The requested resource was not found on this server.</p>\n</body>\n</html>\n';
export class NoRouteError extends Error {}

/** Django's production 500 page (DEBUG off) is this HTML, not JSON. */
const SERVER_ERROR_HTML = '\n<!doctype html>\n<html lang="en">\n<head>\n  <title>Server Error (500)</title>\n</head>\n<body>\n  <h1>Server Error (500)</h1><p></p>\n</body>\n</html>\n';

export function errorMiddleware() {
  return (err: unknown, _req: Request, res: Response, _next: NextFunction): void => {
    if (err instanceof ProcurifyHttpError) return void res.status(err.status).set(err.headers).json(err.body);
    if (err instanceof NoRouteError) return void res.status(404).type('text/html').send(NOT_FOUND_HTML);
    if ((err as { type?: string }).type === 'entity.parse.failed') return void res.status(400).json({ detail: 'JSON parse error - Expecting value: line 1 column 1 (char 0)' });
    res.status(500).type('text/html').send(SERVER_ERROR_HTML);
  };
}

/** What FaultInjector sends: DRF's Throttled answer (429 + Retry-After) and Django's 500 page / a gateway's 503. */
export const procurifyErrorShapes: PartnerErrorShapes = {
  tooManyRequests: (retryAfterSeconds) => ({
    body: { detail: `Request was throttled. Expected available in ${retryAfterSeconds} seconds.` },
    headers: { 'Retry-After': String(retryAfterSeconds) },
  }),
  serverError: (status) => ({ body: status === 500 ? SERVER_ERROR_HTML : '<html><body><h1>503 Service Unavailable</h1></body></html>', contentType: 'text/html' }),
};
