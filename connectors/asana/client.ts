import type { z } from 'zod';
import { type OAuthTokenStore } from '../../core/oauth-token-store';
import { PartnerError } from '../../core/partner-error';
import { createPartnerHttp } from '../http/partner-request';
import { bearerRequest, restateAs, sendThroughPipeline, type RequestPipeline } from '../http/request-pipeline';
import { type PartnerTelemetry } from '../http/telemetry';
import { sharedRateLimiters, type RateLimiterRegistry, type RequestKind } from '../http/rate-limiter';
import { createAsanaAccessTokens } from './access-tokens';
import type { AsanaConfig } from './config';
import { ASANA, asanaRateLimitPolicy, asanaTokenUrlFor } from './provider';
import { listEnvelope, nextPageSchema } from './schemas';

export interface AsanaClientDeps {
  /** Defaults to the process-wide registry, so every connection using one token shares one budget. */
  limiters?: RateLimiterRegistry;
  timeoutMs?: number;
  /** 429s retried here (after the shared pause) before the error goes up to the activity's retry policy. */
  maxRateLimitRetries?: number;
  telemetry?: PartnerTelemetry;
  /** OAuth only: where the current access token is shared with other activities and workers (db/oauth-tokens.ts). */
  tokenStore?: OAuthTokenStore;
  /** OAuth only: refresh this long before the access token expires (default 5 minutes). */
  refreshMarginMs?: number;
  /** OAuth only: the clock that decides whether a token is due for refresh. */
  now?: () => number;
}

export interface AsanaCall {
  operation: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  query?: Record<string, string | number | undefined>;
  /** Sent as `{ "data": body }`, Asana's request envelope. */
  body?: unknown;
}

export interface AsanaResponse<T> {
  status: number;
  headers: Record<string, string | undefined>;
  body: T;
}

/** Asana's error envelope: the first message goes into our error text (it never contains our credentials). */
function asanaMessage(rawBody: string | undefined): string | undefined {
  try {
    const parsed = JSON.parse(rawBody ?? '') as { errors?: { message?: string }[] };
    return parsed.errors?.[0]?.message;
  } catch {
    return undefined;
  }
}

function codeFor(status: number | undefined): string {
  if (status === 429) return 'ASANA_RATE_LIMITED';
  if (status === 401) return 'ASANA_UNAUTHORIZED';
  if (status === 402) return 'ASANA_PREMIUM_REQUIRED';
  if (status === 403) return 'ASANA_FORBIDDEN';
  if (status === 404) return 'ASANA_NOT_FOUND';
  if (status === 400) return 'ASANA_INVALID_REQUEST';
  return status === undefined ? 'ASANA_NO_RESPONSE' : `ASANA_HTTP_${status}`;
}

const HINTS: Record<number, string> = {
  401: 'The Asana token is missing, revoked or expired: update the connection credentials (or reconnect the Asana account).',
  402: 'This Asana feature needs a premium workspace.',
  403: 'The Asana user behind the token cannot access this workspace or project.',
};

export function createAsanaClient(config: AsanaConfig, deps: AsanaClientDeps = {}) {
  const http = createPartnerHttp({
    partner: ASANA,
    baseUrl: config.baseUrl,
    timeoutMs: deps.timeoutMs,
    telemetry: deps.telemetry,
    headers: () => ({ Accept: 'application/json' }),
  });
  const tokens = createAsanaAccessTokens(config.auth, {
    tokenUrl: config.tokenUrl ?? asanaTokenUrlFor(config.baseUrl),
    store: deps.tokenStore,
    telemetry: deps.telemetry,
    timeoutMs: deps.timeoutMs,
    refreshMarginMs: deps.refreshMarginMs,
    now: deps.now,
  });
  const limiter = (deps.limiters ?? sharedRateLimiters).for(ASANA, tokens.limiterKey, asanaRateLimitPolicy);

  const pipeline: RequestPipeline = {
    limiter,
    tokens,
    maxRetries: deps.maxRateLimitRetries ?? 5,
    final: (err) => err.code === 'ASANA_UNEXPECTED_RESPONSE',
    // The limiter already paused every caller of this token until Retry-After; just try again.
    retryable: (err) => err.status === 429,
    restate: (err) => restateAs({ partner: ASANA, code: codeFor, hints: HINTS, detail: asanaMessage }, err),
  };

  async function send<T extends z.ZodType>(call: AsanaCall, schema: T): Promise<AsanaResponse<z.infer<T>>> {
    const kind: RequestKind = call.method === 'GET' ? 'read' : 'write';
    return sendThroughPipeline(pipeline, kind, async (token) => {
      const res = await http.request(bearerRequest(call, token, (body) => JSON.stringify({ data: body })));
      let json: unknown;
      try {
        json = JSON.parse(res.data);
      } catch {
        json = undefined;
      }
      const parsed = schema.safeParse(json);
      if (!parsed.success) {
        throw new PartnerError(`asana ${call.operation}: unexpected response shape (${parsed.error.issues[0]?.message ?? 'invalid'})`, {
          partner: ASANA,
          operation: call.operation,
          status: res.status,
          rawBody: res.data.slice(0, 64 * 1024),
          decision: { retry: false, reason: 'response did not match the Asana schema' },
          code: 'ASANA_UNEXPECTED_RESPONSE',
        });
      }
      return { status: res.status, headers: res.headers as Record<string, string | undefined>, body: parsed.data };
    });
  }

  /**
   * Follows `next_page.offset` until it is null. `limit` must be sent, or Asana returns no `next_page` and refuses
   * listings past ~1,000 items (https://developers.asana.com/docs/pagination).
   */
  async function page<T extends z.ZodType>(
    call: AsanaCall,
    itemSchema: T,
    opts: { limit?: number; offset?: string } = {},
  ): Promise<{ items: z.infer<T>[]; nextOffset: string | undefined }> {
    const query = { ...call.query, limit: opts.limit ?? 100, offset: opts.offset };
    const res = await send({ ...call, query }, listEnvelope(itemSchema));
    const next = nextPageSchema.parse(res.body.next_page);
    return { items: res.body.data as z.infer<T>[], nextOffset: next?.offset };
  }

  async function* pages<T extends z.ZodType>(
    call: AsanaCall,
    itemSchema: T,
    pageSize = 100,
  ): AsyncGenerator<z.infer<T>[], void, void> {
    let offset: string | undefined;
    do {
      const res = await page(call, itemSchema, { limit: pageSize, offset });
      yield res.items;
      offset = res.nextOffset;
    } while (offset !== undefined);
  }

  /** Makes sure a token is at hand (refreshing it if due), so a refused refresh fails a caller before it writes anything. */
  async function authorize(): Promise<void> {
    await tokens.current();
  }

  return { send, page, pages, authorize, limiter, config };
}
export type AsanaClient = ReturnType<typeof createAsanaClient>;
