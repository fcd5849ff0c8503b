import { createHash } from 'node:crypto';
import axios from 'axios';
import { BearerSecurity, type Client, createClientAsync, WSSecurity } from 'soap';
import { decideForStatus, parseRetryAfter, PartnerError } from '../../core/partner-error';
import { type CiMethod, type ComponentInterfaceName, ciOperation, ciService } from './component-interfaces';
import { noTelemetry, type PartnerTelemetry } from '../http/telemetry';
import { guardedLookup, OUTBOUND_REFUSED, outboundPolicy, urlProblem } from '../http/outbound-policy';
import { callTimeoutMs, outboundRefused } from '../http/partner-request';
import { createPeopleSoftCredentials, type PeopleSoftCredentials } from './access-tokens';
import { clientCredentialsOf, type PeopleSoftEndpoint } from './endpoint';
import { type FailureContext, PARTNER, peopleSoftError } from './recognize-error';
import { opridOf } from './rest-client';
import { checkSendGuard } from '../http/send-guard';

const LISTENER = '/PSIGW/PeopleSoftServiceListeningConnector';

/**
 * node-soap clients, one per endpoint + credentials + CI service: building one downloads and compiles the WSDL,
 * which is too slow to repeat on every call. Shared by every connector instance that is handed the same cache.
 */
export class SoapClientCache {
  private readonly clients = new Map<string, Promise<Client>>();

  get(key: string, create: () => Promise<Client>): Promise<Client> {
    let client = this.clients.get(key);
    if (!client) {
      client = create();
      this.clients.set(key, client);
      // A failed build (gateway down, WSDL not yet published) must not be cached.
      client.catch(() => this.clients.delete(key));
    }
    return client;
  }

  clear(): void {
    this.clients.clear();
  }
}
export const defaultSoapClientCache = new SoapClientCache();

/** The cache key carries a hash of the credentials, never the credentials themselves. */
function cacheKey(endpoint: PeopleSoftEndpoint, service: string): string {
  const secret = createHash('sha256').update(JSON.stringify(endpoint.auth)).digest('hex').slice(0, 16);
  return `${endpoint.baseUrl}|${endpoint.node}|${service}|${secret}`;
}

interface SoapFailure {
  message?: string;
  code?: string;
  body?: unknown;
  response?: { status?: number; data?: unknown; headers?: Record<string, unknown> };
}

/** node-soap errors carry the axios request (and so our WS-Security password): read only status, body and code. */
function fromSoapFailure(err: unknown, ctx: FailureContext): PartnerError {
  const e = (err ?? {}) as SoapFailure;
  if (e.code === OUTBOUND_REFUSED) return outboundRefused(PARTNER, ctx.serviceOperation, e.message ?? 'address refused');
  const status = e.response?.status;
  const body = typeof e.body === 'string' ? e.body : typeof e.response?.data === 'string' ? e.response.data : '';
  // An answer cut short (socket closed before the promised Content-Length) comes back from axios as 'stream has been
  // aborted' (ERR_BAD_RESPONSE) with the status line it did read, 200, and no body: the answer never arrived, so it
  // is a transport failure to retry, not a PeopleSoft answer (as HTTP 200 it was dead-lettered, R4 truncated bodies).
  const cutShort = status !== undefined && status >= 200 && status < 300 && e.code !== undefined;
  if ((status === undefined || cutShort) && body === '') {
    const code = e.code ?? 'NETWORK';
    return new PartnerError(`PeopleSoft ${ctx.serviceOperation}: no response (${code})`, {
      partner: PARTNER,
      operation: ctx.serviceOperation,
      decision: decideForStatus(undefined),
      code: `PS_NETWORK_${code}`,
    });
  }
  const retryAfter = parseRetryAfter(e.response?.headers?.['retry-after'] as string | undefined, Date.now());
  const mapped = peopleSoftError(status, body, ctx);
  return mapped.code === 'PS_SERVER_ERROR' || mapped.code?.startsWith('PS_HTTP_') ? peopleSoftError(status, body, ctx, decideForStatus(status, retryAfter)) : mapped;
}

function fromWsdlFailure(err: unknown, ctx: FailureContext, wsdlUrl: string): PartnerError {
  const e = (err ?? {}) as SoapFailure;
  const m = /Code: (\d+)[\s\S]*?Response Body: ([\s\S]*)$/.exec(e.message ?? '');
  if (!m) return fromSoapFailure(err, ctx);
  const status = Number(m[1]);
  const body = m[2] ?? '';
  const mapped = peopleSoftError(status, body, ctx);
  if (mapped.code !== 'PS_SERVER_ERROR' && !mapped.code?.startsWith('PS_HTTP_')) return mapped;
  if (status >= 500) return mapped;
  // A throttled or timed-out WSDL fetch is the gateway being busy, not the service being unpublished: R4's 429 burst
  // landing on it dead-lettered every record of the window as 'WSDL not available (HTTP 429)'.
  if (status === 429 || status === 408) return peopleSoftError(status, body, ctx, decideForStatus(status));
  return new PartnerError(`PeopleSoft ${ctx.serviceOperation}: WSDL not available (HTTP ${status})`, {
    partner: PARTNER,
    operation: ctx.serviceOperation,
    status,
    rawBody: body.slice(0, 64 * 1024),
    decision: { retry: false, reason: 'WSDL not published' },
    code: 'PS_WSDL_UNAVAILABLE',
    hint: `${wsdlUrl} is not served. Ask your PeopleSoft administrator to publish the CI-based service ${ctx.serviceOperation} (PeopleTools > Integration Broker > Web Services > CI-Based Services, then Provide Web Service).`,
  });
}

/**
 * node-soap's HTTP goes through this axios instance (its `request` option), for the WSDL, its imports and every call:
 * the outbound URL policy's guarded lookup applies at connect time, and no redirect is followed.
 */
const guardedSoapHttp = axios.create({ maxRedirects: 0, lookup: guardedLookup() });

export function createSoapCaller(
  endpoint: PeopleSoftEndpoint,
  cache: SoapClientCache = defaultSoapClientCache,
  telemetry: PartnerTelemetry = noTelemetry,
  credentials: PeopleSoftCredentials = createPeopleSoftCredentials(endpoint.auth),
) {
  const auth = endpoint.auth;
  /** Client-credentials tokens change: sent per call as an HTTP header instead of being fixed on the cached client. */
  const perCallBearer = clientCredentialsOf(auth) !== undefined;
  const oprid = opridOf(endpoint);
  /** Scheme and literal addresses, before anything is sent (names are checked by the guarded lookup). */
  const checkUrl = (operation: string) => {
    const problem = urlProblem(endpoint.baseUrl, outboundPolicy());
    if (problem) throw outboundRefused(PARTNER, operation, problem);
  };

  function clientFor(ci: ComponentInterfaceName): Promise<Client> {
    const service = ciService(ci);
    return cache.get(cacheKey(endpoint, service), async () => {
      // Path-style WSDL URL the Provide Web Service wizard publishes (<SERVICE>.<version>.wsdl):
      // https://docs.oracle.com/en/applications/peoplesoft/peopletools/8.63/integration-broker/wsdl-url-formats.html
      const wsdlUrl = `${endpoint.baseUrl}${LISTENER}/${endpoint.node}/${service}.1.wsdl`;
      let client: Client;
      try {
        // The WSDL's soap:address is the gateway's own idea of its URL (often an internal host), so we pin the
        // endpoint to the configured baseUrl + node.
        client = await createClientAsync(wsdlUrl, { request: guardedSoapHttp, wsdl_options: { timeout: callTimeoutMs(endpoint.timeoutMs, false) } }, `${endpoint.baseUrl}${LISTENER}/${endpoint.node}`);
      } catch (err) {
        throw fromWsdlFailure(err, { serviceOperation: service, node: endpoint.node, oprid }, wsdlUrl);
      }
      // WS-Security UsernameToken (clear text) is what CI services check:
      // https://docs.oracle.com/en/applications/peoplesoft/peopletools/8.63/integration-broker-administration/understanding-implementing-ws-security-peoplesoft-integration-broker.html
      if (auth.method === 'basic') {
        client.setSecurity(new WSSecurity(auth.oprid, auth.password, { passwordType: 'PasswordText', hasTimeStamp: false, hasTokenCreated: false }));
      } else if (auth.accessToken !== undefined) {
        client.setSecurity(new BearerSecurity(auth.accessToken));
      }
      return client;
    });
  }

  /** One CI method call; the answer is the `…Response` element as node-soap parsed it (typed by the WSDL). */
  async function call(ci: ComponentInterfaceName, method: CiMethod, args: Record<string, unknown>): Promise<unknown> {
    const operation = ciOperation(ci, method);
    checkUrl(operation);
    const client = await clientFor(ci);
    const fn = (client as unknown as Record<string, unknown>)[`${operation}Async`];
    if (typeof fn !== 'function') {
      throw new PartnerError(`PeopleSoft ${operation}: not in the served WSDL`, {
        partner: PARTNER,
        operation,
        decision: { retry: false, reason: 'operation missing from WSDL' },
        code: 'PS_OPERATION_NOT_IN_WSDL',
        hint: `The WSDL of ${ciService(ci)} has no ${operation}. Ask your PeopleSoft administrator to include the ${method} method when providing the CI-based service.`,
      });
    }
    checkSendGuard();
    const invoke = fn as (a: unknown, o: unknown, headers?: Record<string, string>) => Promise<unknown[]>;
    let authorization = perCallBearer ? await credentials.authorization() : undefined;
    for (let renewed = false; ; renewed = true) {
      try {
        // node-soap's third argument adds HTTP headers to this one request (https://github.com/vpulim/node-soap#clientmethodasyncargs-options).
        const [result] = (await invoke.call(client, args, { timeout: callTimeoutMs(endpoint.timeoutMs, method !== 'Get') }, authorization ? { Authorization: authorization } : undefined)) ?? [];
        return result;
      } catch (err) {
        const failure = fromSoapFailure(err, { serviceOperation: operation, node: endpoint.node, oprid });
        if (failure.status === 429) telemetry.rateLimited(PARTNER, operation);
        // An IdP token that expired in flight: one shared renewal, one retry. IB answers a refused credential on the
        // SOAP listener with a fault carrying (158,45), not with a 401 (partner-apis.md §1.2).
        const refused = failure.status === 401 || failure.code === 'PS_158_45';
        const next = authorization && refused && !renewed ? await credentials.renewAfterRejection(authorization) : undefined;
        if (next === undefined) throw failure;
        authorization = next;
      }
    }
  }

  return { call };
}
export type PeopleSoftSoapCaller = ReturnType<typeof createSoapCaller>;
