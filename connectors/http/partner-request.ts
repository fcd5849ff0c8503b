import { z } from 'zod';
import axios, { type AxiosInstance, type AxiosRequestConfig, type AxiosResponse } from 'axios';
import { decideForStatus, parseRetryAfter, PartnerError } from '../../core/partner-error';
import { checkSendGuard } from './send-guard';
import { guardedLookup, OUTBOUND_REFUSED, outboundPolicy, urlProblem, type OutboundPolicy } from './outbound-policy';
import { noTelemetry, type PartnerTelemetry } from './telemetry';

/**
 * How long one partner call may take before we give up on it (default 30 s); bounds the calls an old attempt may
 * still have in flight, which a new attempt waits out (activities/write-fence.ts), so every worker of a deployment
 * must share it. MLC_PARTNER_CALL_TIMEOUT_MS sets it per process: the fault suite's workers, whose simulators answer
 * within a second, use a few seconds so that 20 worker kills fit the suite's time budget.
 */
export function partnerCallTimeoutMs(env: Record<string, string | undefined>): number {
  const raw = env.MLC_PARTNER_CALL_TIMEOUT_MS;
  if (raw === undefined || raw === '') return 30_000;
  const parsed = z.string().regex(/^\d+$/).transform(Number).pipe(z.number().min(1_000).max(600_000)).safeParse(raw);
  if (!parsed.success) throw new Error(`MLC_PARTNER_CALL_TIMEOUT_MS: expected whole milliseconds from 1000 to 600000, got '${raw}'`);
  return parsed.data;
}

export const PARTNER_CALL_TIMEOUT_MS = partnerCallTimeoutMs(process.env);

/** A read's timeout when the connection sets none. */
export const READ_TIMEOUT_MS = 30_000;

/**
 * A call's timeout: the connection's own when it has one. A call that may write is never allowed longer than
 * PARTNER_CALL_TIMEOUT_MS, which is what a new attempt waits out of an old one's calls (a 60 s PeopleSoft timeout
 * would let a killed attempt's write land after the new attempt looked for its result, and write a second time).
 * Reads need no bound: a read in flight changes nothing, and a live old attempt's late answer leads to no write (its
 * send guard stops it once it lost the lease), so a slow read keeps the connection's own timeout.
 */
export function callTimeoutMs(configured: number | undefined, mayWrite: boolean): number {
  return mayWrite ? Math.min(configured ?? PARTNER_CALL_TIMEOUT_MS, PARTNER_CALL_TIMEOUT_MS) : (configured ?? READ_TIMEOUT_MS);
}

/** GET, HEAD and OPTIONS only read; anything else may write (a POST search is treated as a write: bounded). */
export function mayWrite(method: string | undefined): boolean {
  return !['GET', 'HEAD', 'OPTIONS'].includes((method ?? 'GET').toUpperCase());
}

export interface PartnerHttpOptions {
  partner: string;
  baseUrl: string;
  timeoutMs?: number;
  /** Headers sent on every call (auth, tenant ids). Kept out of every error and log line. */
  headers?: () => Record<string, string> | Promise<Record<string, string>>;
  /** Counts 429s for the worker's metrics. */
  telemetry?: PartnerTelemetry;
  /** Where calls may go; defaults to the process's policy (outbound-policy.ts), read at each call. */
  policy?: OutboundPolicy;
}

export interface PartnerRequest extends Omit<AxiosRequestConfig, 'baseURL' | 'validateStatus'> {
  /** Names the call in errors and audit rows, e.g. 'GET vouchers' or 'CI VOUCHER_APPROVAL Update'. */
  operation: string;
  /** Sees every answer's status and headers before errors are raised (rate-limit headers a partner sends on 2xx and 429). */
  observe?: (status: number, headers: Record<string, string | undefined>) => void;
}

/**
 * The one HTTP layer every connector uses: it never throws axios errors (which carry request headers, i.e.
 * credentials), only PartnerError with the partner's raw body and a retry decision.
 */
export function createPartnerHttp(options: PartnerHttpOptions) {
  const http: AxiosInstance = axios.create({
    baseURL: options.baseUrl,
    validateStatus: () => true,
    // Raw text in, parsed by the connector with zod: partners send HTML and XML as well as JSON.
    transformResponse: [(data: unknown) => data],
    responseType: 'text',
    // A redirect could lead anywhere (a public host answering 302 to 169.254.169.254): partner APIs do not need them.
    maxRedirects: 0,
    lookup: guardedLookup(() => options.policy ?? outboundPolicy()),
  });

  const telemetry = options.telemetry ?? noTelemetry;

  async function request(req: PartnerRequest): Promise<AxiosResponse<string>> {
    const { operation, headers, observe, ...rest } = req;
    const refused = urlProblem(http.getUri(rest), options.policy ?? outboundPolicy());
    if (refused) throw outboundRefused(options.partner, operation, refused);
    const auth = options.headers ? await options.headers() : {};
    checkSendGuard();
    let res: AxiosResponse<string>;
    try {
      res = await http.request<string>({ timeout: callTimeoutMs(options.timeoutMs, mayWrite(rest.method)), ...rest, headers: { ...auth, ...(headers as Record<string, string>) } });
    } catch (err) {
      const code = (err as { code?: string }).code ?? 'NETWORK';
      if (code === OUTBOUND_REFUSED) throw outboundRefused(options.partner, operation, (err as Error).message);
      throw new PartnerError(`${options.partner} ${operation}: no response (${code})`, {
        partner: options.partner,
        operation,
        decision: decideForStatus(undefined),
        code: `NETWORK_${code}`,
      });
    }
    observe?.(res.status, res.headers as Record<string, string | undefined>);
    if (res.status >= 200 && res.status < 300) return res;
    if (res.status === 429) telemetry.rateLimited(options.partner, operation);
    const retryAfterMs = parseRetryAfter(res.headers['retry-after'] as string | undefined, Date.now());
    throw new PartnerError(`${options.partner} ${operation}: HTTP ${res.status}`, {
      partner: options.partner,
      operation,
      status: res.status,
      rawBody: typeof res.data === 'string' ? res.data.slice(0, 64 * 1024) : String(res.data),
      decision: decideForStatus(res.status, retryAfterMs),
    });
  }

  return { request };
}

/** No retry fixes a refused address: the connection's URL must change. The message names the host, never credentials. */
export function outboundRefused(partner: string, operation: string, problem: string): PartnerError {
  return new PartnerError(`${partner} ${operation}: refused by the outbound URL policy: ${problem}`, {
    partner,
    operation,
    decision: { retry: false, reason: 'partner URL refused by the outbound URL policy' },
    code: 'OUTBOUND_URL_REFUSED',
    hint: 'Point the connection at the partner\'s public https: address.',
  });
}
export type PartnerHttp = ReturnType<typeof createPartnerHttp>;
