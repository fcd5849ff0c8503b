import { type Context } from '@temporalio/activity';

/**
 * Heartbeats on a timer for as long as `fn` runs, not only when records complete: a window that waits out a partner's
 * Retry-After must not look dead, or Temporal starts a second attempt while the first one is still writing.
 * The SDK throttles the calls to its own heartbeat interval.
 */
export async function withKeepAlive<T>(ctx: Context, details: () => unknown, fn: () => Promise<T>, everyMs = 2_000): Promise<T> {
  const timer = setInterval(() => ctx.heartbeat(details()), everyMs);
  try {
    return await fn();
  } finally {
    clearInterval(timer);
  }
}
