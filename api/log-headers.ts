/**
 * Which request and response headers may reach the logs: an allow-list, so a credential is redacted whatever its
 * name (Authorization, Cookie, Set-Cookie with the codec session, X-Api-Key from a careless client, X-Hook-Secret,
 * a partner's or proxy's own token header...). A listed header is logged as sent; every other one as `[redacted]`,
 * so the line still shows that it was there.
 */
const LOGGABLE = new Set([
  'accept',
  'accept-encoding',
  'accept-language',
  'access-control-allow-credentials',
  'access-control-allow-headers',
  'access-control-allow-methods',
  'access-control-allow-origin',
  'access-control-max-age',
  'access-control-request-headers',
  'access-control-request-method',
  'cache-control',
  'connection',
  'content-encoding',
  'content-length',
  'content-type',
  'date',
  'etag',
  'host',
  'keep-alive',
  'origin',
  'retry-after',
  'traceparent',
  'transfer-encoding',
  'user-agent',
  'vary',
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-namespace',
  'x-request-id',
]);

export const REDACTED = '[redacted]';

export function loggableHeaders(headers: unknown): Record<string, unknown> {
  if (typeof headers !== 'object' || headers === null) return {};
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, LOGGABLE.has(name.toLowerCase()) ? value : REDACTED]));
}

/** The webhook handshake token is used up at once, but a URL in a log line should not carry it anyway. */
export function loggableUrl(url: unknown): unknown {
  return typeof url === 'string' ? url.replace(/([?&]handshake=)[^&#]*/g, `$1${REDACTED}`) : url;
}

/** pino-http serializers (wrapping its standard ones): the request's and response's headers through the allow-list. */
export const headerSerializers = {
  req: (req: { headers?: unknown } & Record<string, unknown>) => ({ ...req, url: loggableUrl(req.url), headers: loggableHeaders(req.headers) }),
  res: (res: { headers?: unknown } & Record<string, unknown>) => ({ ...res, headers: loggableHeaders(res.headers) }),
};
