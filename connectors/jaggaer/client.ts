import { type OAuthTokenStore } from '../../core/oauth-token-store';
import { PartnerError } from '../../core/partner-error';
import { createPartnerHttp } from '../http/partner-request';
import { bearerRequest, restateAs, sendThroughPipeline, type RequestPipeline } from '../http/request-pipeline';
import { type PartnerTelemetry } from '../http/telemetry';
import { sharedRateLimiters, type RateLimiterRegistry, type RateLimitPolicy } from '../http/rate-limiter';
import { createJaggaerAccessTokens } from './access-tokens';
import type { JaggaerConfig } from './config';
import { stringifyWithDecimals } from './decimal-json';
import { listEnvelopeSchema, successfulEnvelope } from './envelope';
import { getPath } from './field-paths';
import { buildFilter, type FilterTerm } from './flt';
import { JAGGAER, jaggaerRateLimitPolicy, resolveProvider } from './provider';
import type { JaggaerProvider, ResourceName } from './provider-schema';

export interface JaggaerClientDeps {
  /** Defaults to the process-wide registry, so every connection using one client id shares one budget. */
  limiters?: RateLimiterRegistry;
  timeoutMs?: number;
  /** 429s retried here (after the shared Retry-After pause) before the error goes up to the activity's retry policy. */
  maxRateLimitRetries?: number;
  telemetry?: PartnerTelemetry;
  /** Where the current access token is shared with other activities and workers (db/oauth-tokens.ts). */
  tokenStore?: OAuthTokenStore;
  refreshMarginMs?: number;
  now?: () => number;
}

export interface JaggaerCall {
  operation: string;
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  query?: Record<string, string | number | undefined>;
  /** Sent as JSON; JsonDecimal values become number literals digit for digit. */
  body?: unknown;
}

export interface ListPageInput {
  filters?: FilterTerm[];
  /** The `start` of the page (1-based by default); omitted means the first. */
  start?: number;
}

export interface ListPage {
  items: unknown[];
  totRecords: number;
  startAt: number;
  /** The `start` of the next page, or undefined when this page reached totRecords. */
  nextStart: number | undefined;
}

const HINTS: Record<number, string> = {
  401: 'JAGGAER refused the access token even after a new one was fetched: check that the integration client may call this API.',
  403: 'The JAGGAER integration client is not allowed to use this API or business unit: ask the JAGGAER administrator to grant it.',
  404: "The JAGGAER path does not exist on this instance: check instanceUrl and the connection's provider paths.",
};

export function createJaggaerClient(config: JaggaerConfig, deps: JaggaerClientDeps = {}) {
  const provider: JaggaerProvider = resolveProvider(config.provider);
  const instanceUrl = config.instanceUrl.replace(/\/+$/, '');
  const http = createPartnerHttp({ partner: JAGGAER, baseUrl: instanceUrl, timeoutMs: deps.timeoutMs, telemetry: deps.telemetry, headers: () => ({ Accept: 'application/json' }) });
  const tokens = createJaggaerAccessTokens(config.auth, {
    tokenUrl: config.tokenUrl ?? `${instanceUrl}${provider.tokenPath}`,
    store: deps.tokenStore,
    telemetry: deps.telemetry,
    timeoutMs: deps.timeoutMs,
    refreshMarginMs: deps.refreshMarginMs,
    now: deps.now,
  });
  const policy: RateLimitPolicy = { ...jaggaerRateLimitPolicy, defaultPauseMs: provider.defaultRetryAfterSeconds * 1000 };
  const limiter = (deps.limiters ?? sharedRateLimiters).for(JAGGAER, tokens.limiterKey, policy);

  const pipeline: RequestPipeline = {
    limiter,
    tokens,
    maxRetries: deps.maxRateLimitRetries ?? 5,
    final: (err) => err.status === 200 || err.code?.startsWith('JAGGAER_') === true,
    // The limiter already paused every caller of this client id until Retry-After; just try again.
    retryable: (err) => err.status === 429,
    restate: (err) => restateAs({ partner: JAGGAER, code: (status) => (status === 429 ? 'JAGGAER_RATE_LIMITED' : `JAGGAER_HTTP_${status ?? 'NONE'}`), hints: HINTS }, err),
  };

  /** One call: bearer token (refreshed ahead of expiry, once more on a 401), shared 429 pause, envelope checked. */
  async function send(call: JaggaerCall): Promise<Record<string, unknown>> {
    return sendThroughPipeline(pipeline, call.method === 'GET' ? 'read' : 'write', async (token) => {
      const res = await http.request(bearerRequest(call, token, stringifyWithDecimals));
      return successfulEnvelope(call.operation, res.status, res.data);
    });
  }

  /** One page of a list: `start` paging over `totRecords` (partner-apis.md part 2 §4; page size is JAGGAER's). */
  async function listPage(resource: ResourceName, input: ListPageInput = {}): Promise<ListPage> {
    const r = provider.resources[resource];
    const start = input.start ?? provider.paging.firstIndex;
    const flt = buildFilter(input.filters ?? [], provider.filter.separator);
    const operation = `GET ${r.path}`;
    const doc = await send({ operation, method: 'GET', path: r.path, query: { [provider.paging.startParam]: start, [provider.filter.param]: flt } });
    const envelope = listEnvelopeSchema.safeParse(doc);
    const list = getPath(doc, r.listPath);
    // An absent list is an empty page only when the envelope says nothing was returned; records we cannot find where
    // the description says are a variant we do not know, never an empty page (that would drop them silently).
    const returnedNothing = envelope.success && (envelope.data.returnedRecords === 0 || envelope.data.totRecords === 0);
    const items = (list === undefined || list === null) && returnedNothing ? [] : list;
    if (!envelope.success || !Array.isArray(items)) {
      throw new PartnerError(`jaggaer ${operation}: the list is not at ${r.listPath} or totRecords is missing`, {
        partner: JAGGAER,
        operation,
        status: 200,
        rawBody: JSON.stringify(doc).slice(0, 64 * 1024),
        decision: { retry: false, reason: 'list envelope did not match the provider description' },
        code: 'JAGGAER_UNEXPECTED_RESPONSE',
        hint: `Set provider.resources.${resource}.listPath in the connection config to where this instance puts the records.`,
      });
    }
    const startAt = envelope.data.startAt ?? start;
    const returned = envelope.data.returnedRecords ?? items.length;
    const seen = startAt - provider.paging.firstIndex + returned;
    return { items, totRecords: envelope.data.totRecords, startAt, nextStart: returned > 0 && seen < envelope.data.totRecords ? startAt + returned : undefined };
  }

  /** Makes sure a token is at hand, so refused credentials fail a batch before it writes anything. */
  async function authorize(): Promise<void> {
    await tokens.current();
  }

  return { send, listPage, authorize, limiter, provider, config };
}
export type JaggaerClient = ReturnType<typeof createJaggaerClient>;
