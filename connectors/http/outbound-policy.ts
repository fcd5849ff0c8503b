import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import { classifyAddress, type AddressClass } from './address-class';

/**
 * Where partner calls may go (SSRF defence). A customer's key sets a connection's partner URLs, and the API (test,
 * dry run) and the workers then call them with the connection's credentials: without a policy a customer could make
 * us request 169.254.169.254, 127.0.0.1 or the private network and read what answers.
 *
 * - Only https:. http: only when the admin-level setting allows private networks (local simulators speak http).
 * - The host is resolved and every address must be public; loopback, private, link-local, unspecified, multicast
 *   and reserved addresses are refused unless `allowPrivateNetworks`. Cloud metadata addresses are refused always.
 * - Checked when a connection is created or updated (a 422 naming the field) and again at every call: the lookup the
 *   socket itself uses is guarded (guardedLookup), so a name re-pointed after the check (DNS rebinding) is refused too.
 */
export interface OutboundPolicy {
  /** MLC_ALLOW_PRIVATE_PARTNER_URLS: http: and loopback/private addresses allowed (local simulators, on-premises PeopleSoft). */
  allowPrivateNetworks: boolean;
}

/** Secure by default: a process that never configured the policy refuses private networks. */
let current: OutboundPolicy = { allowPrivateNetworks: false };

/** Set once at process boot from the parsed config (api, worker, npm start; the test setup). */
export function configureOutboundPolicy(policy: OutboundPolicy): void {
  current = { ...policy };
}

export function outboundPolicy(): OutboundPolicy {
  return current;
}

/** Error code on refusals, so HTTP layers can tell a policy refusal from a network failure. */
export const OUTBOUND_REFUSED = 'EOUTBOUNDREFUSED';

export class OutboundRefusedError extends Error {
  readonly code = OUTBOUND_REFUSED;
  constructor(message: string) {
    super(message);
    this.name = 'OutboundRefusedError';
  }
}

const PRIVATE_CLASSES = new Set<AddressClass>(['loopback', 'private', 'link-local', 'unspecified']);

/** Why an address may not be called, or undefined when it may. */
export function addressProblem(address: string, policy: OutboundPolicy = current): string | undefined {
  const cls = classifyAddress(address);
  if (cls === 'public') return undefined;
  if (cls === 'invalid') return `${address} is not an IP address`;
  if (PRIVATE_CLASSES.has(cls) && policy.allowPrivateNetworks) return undefined;
  const hint = PRIVATE_CLASSES.has(cls) ? ' (an administrator can allow private networks with MLC_ALLOW_PRIVATE_PARTNER_URLS=true)' : '';
  return `${address} is a ${cls} address, which partner calls may not reach${hint}`;
}

/** Scheme, credentials-in-URL and literal-IP checks: everything that needs no DNS. */
export function urlProblem(url: string, policy: OutboundPolicy = current): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'must be an absolute URL';
  }
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && policy.allowPrivateNetworks)) {
    return policy.allowPrivateNetworks ? 'must be an https: or http: URL' : 'must be an https: URL';
  }
  if (parsed.username || parsed.password) return 'must not carry a user name or password (credentials belong in the credentials section)';
  // The WHATWG parser already turned decimal, octal and hex IPv4 forms (2130706433, 0x7f.1) into dotted quads.
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return addressProblem(host, policy);
  if (host === '' || host === 'localhost' || host.endsWith('.localhost')) return policy.allowPrivateNetworks ? undefined : `${host || '(empty host)'} is a loopback name, which partner calls may not reach`;
  return undefined;
}

export type Resolve = (host: string) => Promise<string[]>;

const systemResolve: Resolve = (host) =>
  new Promise((resolve, reject) => {
    dnsLookup(host, { all: true }, (err, addresses) => (err ? reject(err) : resolve(addresses.map((a) => a.address))));
  });

/**
 * The full check for a URL a customer gives us: scheme, then every address its host resolves to. A name that does
 * not resolve (yet) is accepted here and checked again by the guarded lookup at each call.
 */
export async function checkPartnerUrl(url: string, policy: OutboundPolicy = current, resolve: Resolve = systemResolve, timeoutMs = 2_000): Promise<string | undefined> {
  const problem = urlProblem(url, policy);
  if (problem) return problem;
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return undefined;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string[]>((resolve) => {
    timer = setTimeout(() => resolve([]), timeoutMs);
  });
  try {
    const addresses = await Promise.race([resolve(host), timeout]);
    for (const address of addresses) {
      const bad = addressProblem(address, policy);
      if (bad) return `${host} resolves to ${bad}`;
    }
    return undefined;
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

type Family = 4 | 6;
export type LookupAll = (hostname: string, family?: Family) => Promise<LookupAddress[]>;

const systemLookupAll: LookupAll = (hostname, family) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, ...(family ? { family } : {}) }, (err, addresses) => (err ? reject(err) : resolve(addresses)));
  });

/**
 * A `lookup` for axios (its `lookup` option, used by the socket): resolves as usual, then refuses the connection when
 * any address is not allowed. This is the check that holds at connect time, after any DNS change.
 */
export function guardedLookup(policy: () => OutboundPolicy = outboundPolicy, lookupAll: LookupAll = systemLookupAll) {
  return async (hostname: string, options: object): Promise<[Array<{ address: string; family: Family }>]> => {
    const family = (options as { family?: number }).family;
    const addresses = await lookupAll(hostname, family === 4 || family === 6 ? family : undefined);
    for (const a of addresses) {
      const problem = addressProblem(a.address, policy());
      if (problem) throw new OutboundRefusedError(`${hostname} resolves to ${problem}`);
    }
    return [addresses.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }))];
  };
}
