/** Helpers the pairs' fault fixtures share (pairs/<pair>/fault-fixture.ts). */
import { randomBytes } from 'node:crypto';
import { type PeopleSoftSimAdmin } from '../../../simulators/peoplesoft/admin-client';
import { type LoggingSimAdminClient } from '../../../simulators/kit/admin-client';
import { type PeopleSoftAuth } from '../../../connectors/peoplesoft/endpoint';
import { type FaultSurface, type TokenSurface } from './fault-fixture';

/**
 * A PeopleSoft operator of its own for one fault world, with a unique password: a canary R8 can search for (the
 * simulator's demo password is shared by every test, so finding it would prove nothing about this run).
 */
export async function canaryPeopleSoftUser(psAdmin: PeopleSoftSimAdmin): Promise<{ oprid: string; password: string }> {
  const user = { oprid: `FLT${randomBytes(4).toString('hex').toUpperCase()}`, password: `canary-ps-${randomBytes(12).toString('hex')}` };
  await psAdmin.putUser(user.oprid, { password: user.password, operations: '*' });
  return user;
}

/** The PeopleSoft side of a fault world's connection: what to store, what R8 searches for, and R10's token surface. */
export interface PeopleSoftSide {
  /** The world's own operator (also the user the IdP client's tokens map to). */
  user: { oprid: string; password: string };
  credentials: PeopleSoftAuth;
  secrets: Record<string, string>;
  /** With `oauth`: the IdP's token endpoint as R10 drives it. */
  tokens?: TokenSurface;
}

/**
 * PeopleSoft credentials for one fault world: Basic with a canary operator, or with `oauth` client credentials at the
 * customer's IdP (RFC 6749 §4.4, https://datatracker.ietf.org/doc/html/rfc6749#section-4.4; the simulator's stand-in
 * at `/idp/oauth2/token`) for a client whose tokens act as that operator. Expiry is the simulator's admin call, not
 * its clock: the clock stamps LASTUPDDTTM, which the pairs' reads are windowed on.
 */
export async function peopleSoftSide(psAdmin: PeopleSoftSimAdmin, baseUrl: string, oauth: boolean): Promise<PeopleSoftSide> {
  const user = await canaryPeopleSoftUser(psAdmin);
  if (!oauth) return { user, credentials: { method: 'basic', ...user }, secrets: { 'PeopleSoft password': user.password, 'PeopleSoft basic auth': `${user.oprid}:${user.password}` } };
  const client = await psAdmin.registerIdpClient({ oprid: user.oprid, clientSecret: `canary-idp-${randomBytes(12).toString('hex')}` });
  return {
    user,
    credentials: { method: 'oauth2', tokenUrl: `${baseUrl}/idp/oauth2/token`, clientId: client.clientId, clientSecret: client.clientSecret },
    secrets: { 'PeopleSoft IdP client secret': client.clientSecret, 'PeopleSoft IdP client auth': `${client.clientId}:${client.clientSecret}` },
    tokens: { expireAll: async () => void (await psAdmin.expireTokens()), grants: async () => (await psAdmin.idpStats()).issued },
  };
}

/**
 * Indices of about `share` of `count` rows, spread evenly, at least one when there is a row: R5 at a small size
 * still refuses something, so it always proves something.
 */
export function spreadIndices(count: number, share: number): number[] {
  if (count === 0) return [];
  const every = Math.max(1, Math.round(1 / share));
  const out: number[] = [];
  for (let i = every - 1; i < count; i += every) out.push(i);
  return out.length > 0 ? out : [count - 1];
}

/**
 * The fault surface of any simulator built on simulators/kit/faults.ts: PUT and GET `<root>/__admin/faults` (the
 * admin router is never faulted, so a storm cannot stop the suite from calming it down).
 */
export function kitFaultSurface(rootUrl: string): FaultSurface {
  const url = `${rootUrl}/__admin/faults`;
  return {
    async setFaults(faults) {
      const res = await fetch(url, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(faults) });
      if (!res.ok) throw new Error(`PUT ${url}: HTTP ${res.status} ${await res.text()}`);
    },
    async injected() {
      const res = await fetch(url);
      if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status} ${await res.text()}`);
      return ((await res.json()) as { injected: { errors: number; drops: number; tooManyRequests: number } }).injected;
    },
  };
}

/** A kit fault surface that also reads the simulator's request log (R4's 429 share and busiest minute). */
export function loggedFaultSurface(rootUrl: string, admin: LoggingSimAdminClient): FaultSurface {
  return { ...kitFaultSurface(rootUrl), answers: async () => (await admin.requests()).map((r) => ({ atMs: r.receivedAtMs, status: r.status })) };
}
