import { type OAuthTokenStore } from '../../core/oauth-token-store';
import { PartnerError } from '../../core/partner-error';
import { createPartnerHttp } from '../http/partner-request';
import { bearerRequest, restateAs, sendThroughPipeline, type RequestPipeline } from '../http/request-pipeline';
import { sharedRateLimiters, type CredentialRateLimiter, type RateLimiterRegistry } from '../http/rate-limiter';
import { type PartnerTelemetry } from '../http/telemetry';
import { createProcoreAccessTokens } from './access-tokens';
import { parseJsonKeepingBigInts } from './big-json';
import { procoreEndpointSchema, resolveUrls, type ProcoreAuth, type ProcoreEndpointInput } from './config';
import { AnswerLog, paceFromHeaders, procoreRateLimitPolicy, waitAfter, type RateLimitReading } from './rate-pacing';
import { PROCORE } from './request-token';

/**
 * Requests in flight per shared limiter (every client of one DMSA and company in this process), so pacing counts the
 * other flows' requests too, what the last answer left of the window, and when each answer came.
 */
interface Flight {
  inFlight: number;
  /** What the last answer left, less what was sent since; undefined until an answer reported the window. */
  left: number | undefined;
  answers: AnswerLog;
}
const flights = new WeakMap<CredentialRateLimiter, Flight>();
function flightOf(limiter: CredentialRateLimiter): Flight {
  let f = flights.get(limiter);
  if (!f) flights.set(limiter, (f = { inFlight: 0, left: undefined, answers: new AnswerLog() }));
  return f;
}

export interface ProcoreClientDeps {
  limiters?: RateLimiterRegistry;
  telemetry?: PartnerTelemetry;
  tokenStore?: OAuthTokenStore;
  refreshMarginMs?: number;
  /** 429s and 503s retried here (after the pause the headers ask for) before the error goes to the activity. */
  maxThrottleRetries?: number;
  now?: () => number;
}

export interface ProcoreCall {
  operation: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
}

export interface ProcoreAnswer {
  status: number;
  data: unknown;
  headers: Record<string, string | undefined>;
}

/** Read-only counters of what this client saw: how close a sync ran to Procore's limits. */
export interface ProcoreCallStats {
  requests: number;
  tooManyRequests: number;
  lastReading?: RateLimitReading;
}

const HINTS: Record<number, string> = {
  401: 'Procore refused the access token even after a new one was fetched: check that the DMSA is still installed in the company.',
  403: 'Procore says the app is not connected to this company or lacks a permission: check companyId and the DMSA permissions (and that the project is permitted).',
  404: 'The Procore resource does not exist in this company: check the project and the ids in the connection config.',
  422: 'Procore refused the data (a business rule): read the raw answer for the field.',
};

/**
 * One Procore call: `Procore-Company-Id` on every request (https://developers.procore.com/documentation/tutorial-mpz),
 * a DMSA bearer token (renewed once after a 401), pacing from the X-Rate-Limit-* headers, a pause and retry on 429
 * (until X-Rate-Limit-Reset) and on 503 (Retry-After), and JSON parsed so 64-bit ids keep every digit.
 */
export function createProcoreClient(endpointInput: ProcoreEndpointInput, auth: ProcoreAuth, deps: ProcoreClientDeps = {}) {
  const endpoint = procoreEndpointSchema.parse(endpointInput);
  const { apiUrl, loginUrl } = resolveUrls(endpoint);
  const now = deps.now ?? Date.now;
  const http = createPartnerHttp({ partner: PROCORE, baseUrl: apiUrl, timeoutMs: endpoint.timeoutMs, telemetry: deps.telemetry, headers: () => ({ Accept: 'application/json', 'Procore-Company-Id': endpoint.companyId }) });
  const tokens = createProcoreAccessTokens(auth, { tokenUrl: loginUrl, store: deps.tokenStore, telemetry: deps.telemetry, timeoutMs: endpoint.timeoutMs, refreshMarginMs: deps.refreshMarginMs, now: deps.now });
  const limiter = (deps.limiters ?? sharedRateLimiters).for(PROCORE, `${tokens.limiterKey}@${endpoint.companyId}`, procoreRateLimitPolicy);
  const maxRetries = deps.maxThrottleRetries ?? 8;
  const stats: ProcoreCallStats = { requests: 0, tooManyRequests: 0 };
  const flight = flightOf(limiter);

  async function send(call: ProcoreCall): Promise<ProcoreAnswer> {
    let seen: Record<string, string | undefined> = {};
    const pauseAfter = (status: number | undefined) => waitAfter(status ?? 0, seen, now(), procoreRateLimitPolicy.defaultPauseMs);
    const pipeline: RequestPipeline = {
      limiter,
      tokens,
      maxRetries,
      retryable: (err) => err.status === 429 || err.status === 503,
      beforeRetry: (err) => limiter.pause(pauseAfter(err.status)),
      restate: (err) =>
        restateAs({ partner: PROCORE, code: (status) => (status === 429 ? 'PROCORE_RATE_LIMITED' : `PROCORE_HTTP_${status ?? 'NONE'}`), hints: HINTS, decision: (e) => (e.status === 429 || e.status === 503 ? { retry: true, reason: 'Procore throttled the request', waitMs: pauseAfter(e.status) } : e.decision) }, err),
    };
    return sendThroughPipeline(pipeline, call.method === 'GET' ? 'read' : 'write', async (token) => {
      seen = {};
      // Until an answer has told us where the window stands (a new process, or after a SIGKILL), one at a time.
      // Never more in flight than the last answer left (a pause ends when one slot of the rolling window frees): the
      // request after a pause goes alone, and its answer says how many may follow.
      while (flight.inFlight > 0 && !(flight.left !== undefined && flight.left > 0)) await new Promise((r) => setTimeout(r, 25));
      if (flight.left !== undefined) flight.left -= 1;
      flight.inFlight += 1;
      let res;
      try {
        res = await http.request({
          ...bearerRequest(call, token),
          observe: (status, headers) => {
            stats.requests += 1;
            if (status === 429) stats.tooManyRequests += 1;
            seen = headers;
            flight.answers.add(now());
            const reading = paceFromHeaders(limiter, headers, now(), flight.inFlight - 1, flight.answers);
            // The others in flight may not be counted in this answer yet: they will take from what it left.
            if (reading) flight.left = status === 429 ? 0 : reading.remaining - (flight.inFlight - 1);
            stats.lastReading = reading ?? stats.lastReading;
          },
        });
      } finally {
        flight.inFlight -= 1;
      }
      return { status: res.status, data: res.data === '' ? undefined : parseJsonKeepingBigInts(res.data), headers: res.headers as Record<string, string | undefined> };
    });
  }

  /**
   * Every page of a list: `page` (1-based) and `per_page`, following the `Link` header's rel="next" until it is
   * absent, with `Total` as a check (https://developers.procore.com/documentation/pagination).
   */
  async function* pages(call: Omit<ProcoreCall, 'method'>): AsyncGenerator<unknown[]> {
    for (let page = 1; ; page += 1) {
      const res = await send({ ...call, method: 'GET', query: { ...call.query, page, per_page: endpoint.perPage } });
      if (!Array.isArray(res.data)) {
        throw new PartnerError(`procore ${call.operation}: the answer is not a JSON array`, { partner: PROCORE, operation: call.operation, status: res.status, rawBody: JSON.stringify(res.data)?.slice(0, 4096), decision: { retry: false, reason: 'list answer did not match the documented shape' }, code: 'PROCORE_UNEXPECTED_RESPONSE' });
      }
      yield res.data;
      if (!/rel="next"/.test(res.headers.link ?? '')) return;
    }
  }

  async function listAll(call: Omit<ProcoreCall, 'method'>): Promise<unknown[]> {
    const out: unknown[] = [];
    for await (const page of pages(call)) out.push(...page);
    return out;
  }

  return { send, pages, listAll, authorize: async () => void (await tokens.current()), companyId: endpoint.companyId, stats, limiter };
}
export type ProcoreClient = ReturnType<typeof createProcoreClient>;
