import { isPartnerError } from '../../core/partner-error';
import { type ComponentInterfaceName, ciKeys, ciOperation, componentInterfaces } from './component-interfaces';
import { getByKeys } from './ci-write';
import { type PeopleSoftCredentials, type PeopleSoftAuthInfo } from './access-tokens';
import { clientCredentialsOf, type PeopleSoftEndpoint } from './endpoint';
import { type PeopleSoftObject, peopleSoftObjectNames, peopleSoftObjects } from './objects';
import { type PeopleSoftRestClient } from './rest-client';
import { probeRowCap } from './row-cap';
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
 * that does not exist ("no rows" proves routing, credentials and permission lists are all in place; nothing is
 * created). Each inquiry that answers is also read over one sync window to check the declared rowCap (row-cap.ts). Runs one call
 * at a time so a misconfigured connection does not hammer the gateway.
 */
export async function testConnection(
  rest: PeopleSoftRestClient,
  soap: PeopleSoftSoapCaller,
  endpoint: PeopleSoftEndpoint,
  options: TestConnectionOptions = {},
  credentials?: PeopleSoftCredentials,
): Promise<ConnectionCheck[]> {
  const who = endpoint.auth.method === 'basic' ? `user ${endpoint.auth.oprid}` : 'the OAuth2 token';
  const checks: ConnectionCheck[] = [];
  let info: PeopleSoftAuthInfo | undefined;
  try {
    // For client credentials this fetches (or reuses) a token first: a refused grant is the one thing to fix.
    info = await credentials?.info();
  } catch (err) {
    return [failed('auth', err)];
  }
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
      continue;
    }
    // The gateway may cap rows below the declared rowCap without saying so (row-cap.ts): named here, before a sync.
    try {
      checks.push({ check: `rowcap:${op}`, ...(await probeRowCap(rest, endpoint, object, to)) });
    } catch (err) {
      checks.push(failed(`rowcap:${op}`, err));
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
  // Basic and static tokens are named in every check's message already ("for user X"); an IdP token also expires.
  if (info?.method === 'oauth2-client-credentials') checks.unshift(authCheck(info, endpoint, checks));
  return checks;
}

/** For an IdP token: whether the gateway took it, and when the current token expires. */
function authCheck(info: PeopleSoftAuthInfo, endpoint: PeopleSoftEndpoint, checks: ConnectionCheck[]): ConnectionCheck {
  const method = `OAuth2 client credentials at ${clientCredentialsOf(endpoint.auth)?.tokenUrl ?? '?'}, token expires ${info.expiresAt?.toISOString() ?? 'at an unknown time'}`;
  const refused = checks.find((c) => !c.ok && (c.code === 'PS_UNAUTHORIZED' || c.code === 'PS_158_45'));
  if (refused) return { check: 'auth', ok: false, message: `PeopleSoft refused ${method}: ${refused.message}`, code: refused.code };
  const accepted = checks.some((c) => c.ok);
  return { check: 'auth', ok: accepted, message: accepted ? `authenticated with ${method}` : `no call succeeded with ${method}` };
}
