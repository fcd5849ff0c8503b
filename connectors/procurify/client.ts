import type { z } from 'zod';
import { type OAuthTokenStore } from '../../core/oauth-token-store';
import { PartnerError } from '../../core/partner-error';
import { createPartnerHttp } from '../http/partner-request';
import { bearerHeaders, definedParams, sendThroughPipeline, type RequestPipeline } from '../http/request-pipeline';
import { sharedRateLimiters, type RateLimiterRegistry } from '../http/rate-limiter';
import { type PartnerTelemetry } from '../http/telemetry';
import { createProcurifyAccessTokens } from './access-tokens';
import type { ProcurifyConfig } from './config';
import { restate } from './errors';
import { PROCURIFY, PROCURIFY_CLIENT_HEADER, procurifyRateLimitPolicy } from './provider';
import { listEnvelope } from './schemas';

export interface ProcurifyClientDeps {
  limiters?: RateLimiterRegistry;
  timeoutMs?: number;
  /** 429s and (for reads) 5xx retried here with backoff before the error goes up to the activity's retry policy. */
  maxRetries?: number;
  /** First backoff after a 5xx (doubles each time); tests shorten it. */
  backoffBaseMs?: number;
  telemetry?: PartnerTelemetry;
  tokenStore?: OAuthTokenStore;
  refreshMarginMs?: number;
  now?: () => number;
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface ProcurifyCall {
  operation: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH';
  /** A path below the host (`/api/v3/vendors`) or, for a `next` link, the full URL Procurify gave. */
  path: string;
  query?: Query;
  body?: unknown;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createProcurifyClient(config: ProcurifyConfig, deps: ProcurifyClientDeps = {}) {
  const http = createPartnerHttp({ partner: PROCURIFY, baseUrl: config.baseUrl, timeoutMs: deps.timeoutMs, telemetry: deps.telemetry });
  const tokens = createProcurifyAccessTokens(config, {
    store: deps.tokenStore,
    telemetry: deps.telemetry,
    timeoutMs: deps.timeoutMs,
    refreshMarginMs: deps.refreshMarginMs,
    now: deps.now,
  });
  const limiter = (deps.limiters ?? sharedRateLimiters).for(PROCURIFY, tokens.limiterKey, procurifyRateLimitPolicy);
  const backoffBaseMs = deps.backoffBaseMs ?? 500;
  const origin = new URL(config.baseUrl).origin;

  /**
   * One call: Bearer token and `X-Procurify-Client: api` on every request (https://developer.procurify.com/tag/oauth,
   * "You will need to set the following headers"), answer parsed with zod. A 401 gets one new token and one retry; a
   * 429 waits (the limiter pauses every caller of the credential); a 5xx on a read backs off exponentially. Writes
   * are not repeated here on a 5xx: Procurify has no idempotency key, so the engine's intent rows decide.
   */
  const pipeline: RequestPipeline = {
    limiter,
    tokens,
    maxRetries: deps.maxRetries ?? 4,
    final: (err) => err.code === 'PROCURIFY_UNEXPECTED_RESPONSE' || err.partner !== PROCURIFY,
    retryable: (err, kind) => err.status === 429 || (kind === 'read' && err.decision.retry),
    // The limiter already waited out Retry-After for a 429; a 5xx or a dropped connection backs off here.
    beforeRetry: (err, attempt) => (err.status === 429 ? undefined : sleep(backoffBaseMs * 2 ** attempt)),
    restate,
  };

  async function send<T extends z.ZodType>(call: ProcurifyCall, schema: T): Promise<z.infer<T>> {
    const url = call.path.startsWith('http') ? sameOrigin(call.path) : call.path;
    const params = definedParams(call.query);
    return sendThroughPipeline(pipeline, call.method === 'GET' ? 'read' : 'write', async (token) => {
      const res = await http.request({
        operation: call.operation,
        method: call.method,
        url,
        params,
        headers: { ...bearerHeaders(token, call.body !== undefined), [PROCURIFY_CLIENT_HEADER.name]: PROCURIFY_CLIENT_HEADER.value, Accept: 'application/json' },
        ...(call.body === undefined ? {} : { data: JSON.stringify(call.body) }),
      });
      return parse(call, res.status, res.data, schema);
    });
  }

  /** A `next` link is followed only on the connection's own host: the bearer token never goes anywhere else. */
  function sameOrigin(link: string): string {
    const parsed = new URL(link);
    if (parsed.origin !== origin) {
      throw new PartnerError(`procurify: pagination link points at ${parsed.origin}, not ${origin}`, {
        partner: PROCURIFY,
        operation: 'follow next link',
        decision: { retry: false, reason: 'pagination link on another host' },
        code: 'PROCURIFY_FOREIGN_LINK',
      });
    }
    return link;
  }

  /**
   * Every page of a list: `page`/`page_size` on the first call, then the full `next` URL from
   * `metadata.pagination` (it carries the filters) until it is null.
   */
  async function* pages<T extends z.ZodType>(call: ProcurifyCall, itemSchema: T): AsyncGenerator<z.infer<T>[], void, void> {
    let next: ProcurifyCall | undefined = { ...call, query: { ...call.query, page: 1, page_size: config.pageSize } };
    while (next) {
      const body: { data: unknown[]; metadata: { pagination: { next: string | null } } } = await send(next, listEnvelope(itemSchema));
      yield body.data as z.infer<T>[];
      const link: string | null = body.metadata.pagination.next;
      next = link ? { operation: call.operation, method: 'GET', path: link } : undefined;
    }
  }

  async function all<T extends z.ZodType>(call: ProcurifyCall, itemSchema: T): Promise<z.infer<T>[]> {
    const out: z.infer<T>[] = [];
    for await (const page of pages(call, itemSchema)) out.push(...page);
    return out;
  }

  return { send, pages, all, authorize: async () => void (await tokens.current()), limiter, config };
}
export type ProcurifyClient = ReturnType<typeof createProcurifyClient>;

function parse<T extends z.ZodType>(call: ProcurifyCall, status: number, text: string, schema: T): z.infer<T> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new PartnerError(`procurify ${call.operation}: unexpected response shape (${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'})`, {
    partner: PROCURIFY,
    operation: call.operation,
    status,
    rawBody: text.slice(0, 64 * 1024),
    decision: { retry: false, reason: 'response did not match the Procurify schema' },
    code: 'PROCURIFY_UNEXPECTED_RESPONSE',
  });
}
