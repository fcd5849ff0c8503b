import { createPartnerHttp } from '../http/partner-request';
import { retryRead } from '../http/read-retry';
import { type PartnerTelemetry } from '../http/telemetry';
import { isPartnerError, PartnerError } from '../../core/partner-error';
import { createPeopleSoftCredentials, type PeopleSoftCredentials } from './access-tokens';
import { type PeopleSoftEndpoint } from './endpoint';
import { fromHttpFailure, PARTNER } from './recognize-error';

export const opridOf = (endpoint: PeopleSoftEndpoint) => (endpoint.auth.method === 'basic' ? endpoint.auth.oprid : undefined);

/**
 * GET on a REST service operation through the shared HTTP layer; answers come back as parsed JSON, failures as
 * PartnerError with IB's own meaning. `Accept: application/json` as in CIRT calls (partner-apis.md §1.1).
 */
export function createRestClient(endpoint: PeopleSoftEndpoint, telemetry?: PartnerTelemetry, credentials: PeopleSoftCredentials = createPeopleSoftCredentials(endpoint.auth)) {
  const http = createPartnerHttp({
    partner: PARTNER,
    baseUrl: `${endpoint.baseUrl}/PSIGW/RESTListeningConnector/${endpoint.node}`,
    timeoutMs: endpoint.timeoutMs,
    telemetry,
    headers: () => ({ Accept: 'application/json' }),
  });

  async function getJson(serviceOperation: string, params: Record<string, string>): Promise<unknown> {
    const ctx = { serviceOperation, node: endpoint.node, oprid: opridOf(endpoint) };
    let body: string;
    try {
      // https://ib.books.cedarhillsgroup.com/listeningconnectors/restlisteningconnector/ (URL: node, operation.version, template)
      let authorization = await credentials.authorization();
      // A 5xx, 429 or cut-short answer is read again here (connectors/http/read-retry.ts), not by failing the poll.
      const get = () => retryRead(async () => (await http.request({ operation: serviceOperation, method: 'GET', url: `/${serviceOperation}.v1/`, params, headers: { Authorization: authorization } })).data);
      try {
        body = await get();
      } catch (err) {
        // An IdP token can expire between our check and the gateway's: one new token (shared by every caller), one retry.
        const renewed = isPartnerError(err) && err.status === 401 ? await credentials.renewAfterRejection(authorization) : undefined;
        if (renewed === undefined) throw err;
        authorization = renewed;
        body = await get();
      }
    } catch (err) {
      // The IdP's own refusal (PS_OAUTH_*) already says what to fix: it is not a gateway answer.
      if (isPartnerError(err) && err.code?.startsWith('PS_OAUTH_')) throw err;
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
