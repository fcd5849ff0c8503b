/** Helpers the pairs' fault fixtures share (pairs/<pair>/fault-fixture.ts). */
import { randomBytes } from 'node:crypto';
import { type PeopleSoftSimAdmin } from '../../../simulators/peoplesoft/admin-client';

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
