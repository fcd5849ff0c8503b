import { isPartnerError } from '../../core/partner-error';
import { type ComponentInterfaceName, ciKeys, ciOperation, componentInterfaces } from './component-interfaces';
import { getByKeys } from './ci-write';
import { type PeopleSoftEndpoint } from './endpoint';
import { type PeopleSoftObject, peopleSoftObjectNames, peopleSoftObjects } from './objects';
import { type PeopleSoftRestClient } from './rest-client';
import { type PeopleSoftSoapCaller } from './soap-client';

export interface ConnectionCheck {
  /** e.g. `rest:MLC_VOUCHER_SYNC_GET` or `soap:CI_VNDR_ID_G`. */
  check: string;
  ok: boolean;
  /** What works, or what a human must do to fix it. */
  message: string;
  code?: string;
}

export interface TestConnectionOptions {
  objects?: PeopleSoftObject[];
  componentInterfaces?: ComponentInterfaceName[];
}

function failed(check: string, err: unknown): ConnectionCheck {
  if (isPartnerError(err)) return { check, ok: false, message: err.hint ?? err.message, code: err.code };
  return { check, ok: false, message: err instanceof Error ? err.message : String(err) };
}

/**
 * "Ping your real systems": one cheap call per REST inquiry (an empty one-second window) and one Get per CI on a key
 * that does not exist ("no rows" proves routing, credentials and permission lists are all in place). Runs one call
 * at a time so a misconfigured connection does not hammer the gateway.
 */
export async function testConnection(rest: PeopleSoftRestClient, soap: PeopleSoftSoapCaller, endpoint: PeopleSoftEndpoint, options: TestConnectionOptions = {}): Promise<ConnectionCheck[]> {
  const who = endpoint.auth.method === 'basic' ? `user ${endpoint.auth.oprid}` : 'the OAuth2 token';
  const checks: ConnectionCheck[] = [];
  const to = new Date();
  const from = new Date(to.getTime() - 1_000);
  for (const object of options.objects ?? peopleSoftObjectNames) {
    const op = peopleSoftObjects[object].operation;
    const check = `rest:${op}`;
    try {
      await rest.getJson(op, { LASTUPDDTTM_FROM: from.toISOString(), LASTUPDDTTM_TO: to.toISOString() });
      checks.push({ check, ok: true, message: `${op} answers on node ${endpoint.node} for ${who}` });
    } catch (err) {
      checks.push(failed(check, err));
    }
  }
  for (const ci of options.componentInterfaces ?? Object.values(componentInterfaces)) {
    const op = ciOperation(ci, 'Get');
    const check = `soap:${op}`;
    try {
      await getByKeys(soap, ci, Object.fromEntries(ciKeys[ci].map((k) => [k, k.endsWith('DATE') ? '1900-01-01' : 'MLCPG'])));
      checks.push({ check, ok: true, message: `${op} answers through the served WSDL for ${who}` });
    } catch (err) {
      checks.push(failed(check, err));
    }
  }
  return checks;
}
