/** Helpers the pairs' fault fixtures share (pairs/<pair>/fault-fixture.ts). */
import { randomBytes } from 'node:crypto';
import { type PeopleSoftSimAdmin } from '../../../simulators/peoplesoft/admin-client';
import { type LoggingSimAdminClient } from '../../../simulators/kit/admin-client';
import { type FaultSurface } from './fault-fixture';

/**
 * A PeopleSoft operator of its own for one fault world, with a unique password: a canary R8 can search for (the
 * simulator's demo password is shared by every test, so finding it would prove nothing about this run).
 */
export async function canaryPeopleSoftUser(psAdmin: PeopleSoftSimAdmin): Promise<{ oprid: string; password: string }> {
  const user = { oprid: `FLT${randomBytes(4).toString('hex').toUpperCase()}`, password: `canary-ps-${randomBytes(12).toString('hex')}` };
  await psAdmin.putUser(user.oprid, { password: user.password, operations: '*' });
  return user;
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
