import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * A check every partner request of the current async context passes right before it is sent: an activity attempt
 * runs its work inside `sendGuard.run(check, ...)` so that, once it lost its connection's lease, no request leaves it
 * any more, even one that waited in a rate limiter's queue since the attempt last looked. Outside any attempt (API
 * connection checks, dry runs) there is no guard.
 */
export const sendGuard = new AsyncLocalStorage<() => void>();

export function checkSendGuard(): void {
  sendGuard.getStore()?.();
}
