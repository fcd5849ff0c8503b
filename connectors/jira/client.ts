import { type z } from 'zod';
import type { OAuthTokenStore } from '../../core/oauth-token-store';
import { isPartnerError, PartnerError } from '../../core/partner-error';
import { createPartnerHttp, type PartnerHttp } from '../http/partner-request';
import { sharedRateLimiters, type RateLimiterRegistry, type RequestKind } from '../http/rate-limiter';
import type { PartnerTelemetry } from '../http/telemetry';
import { createJiraAccessTokens } from './access-tokens';
import { resolveCloudId } from './accessible-resources';
import type { JiraConfig } from './config';
import { jiraError } from './errors';
import { JIRA, jiraPutDeleteRateLimitPolicy, jiraRateLimitPolicy, restBaseUrl } from './provider';
import { IssueWritePacer, paceFromQuota, readRateLimit, type RateLimitAnswer } from './rate-pacing';

export interface JiraClientDeps {
  limiters?: RateLimiterRegistry;
  timeoutMs?: number;
  /** 429s retried here (after pausing what they concern) before the error goes up to the activity's retry policy. */
  maxRateLimitRetries?: number;
  /** A 429 asking to wait longer than this (an exhausted hourly quota) is not waited out here: it goes up with its wait. */
  maxInlineWaitMs?: number;
  telemetry?: PartnerTelemetry;
  tokenStore?: OAuthTokenStore;
  refreshMarginMs?: number;
  now?: () => number;
}

export interface JiraCall {
  operation: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Below the REST base, e.g. `/rest/api/3/issue/PROC-1`. */
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** The issue a write targets, for the per-issue write limits. */
  issue?: string;
}

export interface JiraResponse<T> {
  status: number;
  body: T;
}

const pacers = new WeakMap<object, IssueWritePacer>();

export function createJiraClient(config: JiraConfig, deps: JiraClientDeps = {}) {
  const now = deps.now ?? Date.now;
  const tokens = createJiraAccessTokens(config.auth, { tokenUrl: config.tokenUrl, store: deps.tokenStore, telemetry: deps.telemetry, timeoutMs: deps.timeoutMs, refreshMarginMs: deps.refreshMarginMs, now: deps.now });
  const limiter = (deps.limiters ?? sharedRateLimiters).for(JIRA, tokens.limiterKey, jiraRateLimitPolicy);
  // PUT/DELETE spend from both budgets: their own (50 rps at Jira) and the credential's.
  const putDeleteLimiter = (deps.limiters ?? sharedRateLimiters).for(JIRA, `${tokens.limiterKey}:put-delete`, jiraPutDeleteRateLimitPolicy);
  let pacer = pacers.get(limiter);
  if (!pacer) pacers.set(limiter, (pacer = new IssueWritePacer()));
  const issuePacer = pacer;
  const maxRetries = deps.maxRateLimitRetries ?? 8;
  const maxInlineWaitMs = deps.maxInlineWaitMs ?? 30_000;
  const auth = config.auth;

  /** A token refused by accessible-resources (expired or revoked early) is renewed once, as for any other call. */
  async function cloudIdWithRenewal(): Promise<string> {
    const header = await tokens.current();
    try {
      return await resolveCloudId(config, header, deps.timeoutMs);
    } catch (err) {
      if (!isPartnerError(err) || err.status !== 401) throw err;
      const next = await tokens.renewAfterRejection(header);
      if (next === undefined) throw jiraError(err);
      return resolveCloudId(config, next, deps.timeoutMs);
    }
  }

  let httpPromise: Promise<PartnerHttp> | undefined;
  const http = () =>
    (httpPromise ??= (async () => {
      const cloudId = auth.method === 'oauth2' ? (auth.cloudId ?? (await cloudIdWithRenewal())) : undefined;
      const baseUrl = auth.method === 'oauth2' ? restBaseUrl(config.gatewayUrl, cloudId) : restBaseUrl(config.siteUrl);
      return createPartnerHttp({ partner: JIRA, baseUrl, timeoutMs: deps.timeoutMs, telemetry: deps.telemetry, headers: () => ({ Accept: 'application/json' }) });
    })().catch((err: unknown) => {
      httpPromise = undefined;
      throw err;
    }));

  async function send<T extends z.ZodType>(call: JiraCall, schema: T): Promise<JiraResponse<z.infer<T>>> {
    const kind: RequestKind = call.method === 'GET' ? 'read' : 'write';
    const params = Object.fromEntries(Object.entries(call.query ?? {}).filter(([, v]) => v !== undefined));
    const client = await http();
    let header = await tokens.current();
    let renewed = false;
    for (let attempt = 0; ; ) {
      const release = call.issue && kind === 'write' ? await issuePacer.acquire(call.issue) : undefined;
      let limited: RateLimitAnswer | undefined;
      try {
        const methodBudget = call.method === 'PUT' || call.method === 'DELETE' ? putDeleteLimiter : undefined;
        const attemptOnce = async () => {
          try {
            return await client.request({
              operation: call.operation,
              method: call.method,
              url: call.path,
              params,
              headers: { Authorization: header, ...(call.body === undefined ? {} : { 'Content-Type': 'application/json' }) },
              ...(call.body === undefined ? {} : { data: JSON.stringify(call.body) }),
              observe: (status, headers) => {
                if (status === 429) limited = readRateLimit(headers, now(), jiraRateLimitPolicy.defaultPauseMs);
                else paceFromQuota(limiter, headers, now());
              },
            });
          } catch (err) {
            // 429s are paced below (per issue or per credential), not by the limiter's blanket pause.
            if (limited) return undefined;
            throw err;
          }
        };
        const res = await limiter.run(kind, () => (methodBudget ? methodBudget.run(kind, attemptOnce) : attemptOnce()));
        if (res === undefined && limited) {
          const answer: RateLimitAnswer = limited;
          if (answer.kind === 'per-issue' && call.issue) issuePacer.pause(call.issue, answer.waitMs);
          else limiter.pause(answer.waitMs);
          if (attempt < maxRetries && answer.waitMs <= maxInlineWaitMs) {
            attempt += 1;
            continue;
          }
          throw new PartnerError(`jira ${call.operation}: HTTP 429 (${answer.reason})`, {
            partner: JIRA,
            operation: call.operation,
            status: 429,
            decision: { retry: true, reason: `rate limited (${answer.reason})`, waitMs: answer.waitMs },
            code: answer.kind === 'quota' ? 'JIRA_QUOTA_EXHAUSTED' : 'JIRA_RATE_LIMITED',
            hint: answer.kind === 'quota' ? `The hourly Jira points quota is used up; the sync resumes at the reset (${new Date(now() + answer.waitMs).toISOString()}).` : undefined,
          });
        }
        if (res === undefined) throw new Error('unreachable: no answer and no rate limit');
        return { status: res.status, body: parseBody(call, res.status, res.data, schema) };
      } catch (err) {
        if (!isPartnerError(err) || err.partner !== JIRA || err.code === 'JIRA_UNEXPECTED_RESPONSE' || err.status === 429) throw err;
        if (err.status === 401 && !renewed) {
          renewed = true;
          const next = await tokens.renewAfterRejection(header);
          if (next !== undefined) {
            header = next;
            continue;
          }
        }
        throw jiraError(err);
      } finally {
        release?.();
      }
    }
  }

  return { send, config, limiter, authorize: async () => void (await tokens.current()) };
}
export type JiraClient = ReturnType<typeof createJiraClient>;

function parseBody<T extends z.ZodType>(call: JiraCall, status: number, text: string, schema: T): z.infer<T> {
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  throw new PartnerError(`jira ${call.operation}: unexpected response shape (${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? 'invalid'})`, {
    partner: JIRA,
    operation: call.operation,
    status,
    rawBody: text.slice(0, 64 * 1024),
    decision: { retry: false, reason: 'response did not match the Jira schema' },
    code: 'JIRA_UNEXPECTED_RESPONSE',
  });
}
