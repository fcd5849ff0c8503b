import { createPartnerHttp } from '../http/partner-request';
import { type PartnerTelemetry } from '../http/telemetry';
import { isPartnerError, PartnerError } from '../../core/partner-error';
import { type PeopleSoftEndpoint } from './endpoint';
import { fromHttpFailure, PARTNER } from './recognize-error';

export function authorizationHeader(endpoint: PeopleSoftEndpoint): string {
  const { auth } = endpoint;
  return auth.method === 'basic' ? `Basic ${Buffer.from(`${auth.oprid}:${auth.password}`).toString('base64')}` : `Bearer ${auth.accessToken}`;
}

export const opridOf = (endpoint: PeopleSoftEndpoint) => (endpoint.auth.method === 'basic' ? endpoint.auth.oprid : undefined);

/**
 * GET on a REST service operation through the shared HTTP layer; answers come back as parsed JSON, failures as
 * PartnerError with IB's own meaning. `Accept: application/json` as in CIRT calls (partner-apis.md §1.1).
 */
export function createRestClient(endpoint: PeopleSoftEndpoint, telemetry?: PartnerTelemetry) {
  const http = createPartnerHttp({
    partner: PARTNER,
    baseUrl: `${endpoint.baseUrl}/PSIGW/RESTListeningConnector/${endpoint.node}`,
    timeoutMs: endpoint.timeoutMs,
    telemetry,
    headers: () => ({ Authorization: authorizationHeader(endpoint), Accept: 'application/json' }),
  });

  async function getJson(serviceOperation: string, params: Record<string, string>): Promise<unknown> {
    const ctx = { serviceOperation, node: endpoint.node, oprid: opridOf(endpoint) };
    let body: string;
    try {
      // https://ib.books.cedarhillsgroup.com/listeningconnectors/restlisteningconnector/ (URL: node, operation.version, template)
      const res = await http.request({ operation: serviceOperation, method: 'GET', url: `/${serviceOperation}.v1/`, params });
      body = res.data;
    } catch (err) {
      if (isPartnerError(err)) throw fromHttpFailure(err, ctx);
      throw err;
    }
    try {
      return JSON.parse(body) as unknown;
    } catch {
      // A 200 that is not JSON is a misconfigured handler or a proxy page: retrying will not fix it.
      throw fromHttpFailure(
        new PartnerError('not JSON', { partner: PARTNER, operation: serviceOperation, status: 200, rawBody: body, decision: { retry: false, reason: 'response is not JSON' }, code: 'PS_NOT_JSON' }),
        ctx,
      );
    }
  }

  return { getJson };
}
export type PeopleSoftRestClient = ReturnType<typeof createRestClient>;
