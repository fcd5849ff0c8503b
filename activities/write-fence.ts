import { ApplicationFailure, type Context } from '@temporalio/activity';
import { PARTNER_CALL_TIMEOUT_MS } from '../connectors/http/partner-request';
import { sendGuard } from '../connectors/http/send-guard';
import { LEASE_LOST } from '../core/lease-lost';
import { acquireLease, leaseHeld, LeaseLostError, releaseLease, renewLease, type Lease, type PreviousHolder } from '../db/connection-leases';
import { isDbUnavailable } from '../db/sql-state';
import { type ActivityDeps } from './deps';

/** How often a holder renews its lease (and learns that it lost it). */
export const LEASE_TICK_MS = 2_000;
/** Slack for the time between a holder's last check and its request leaving the process. */
const SEND_MARGIN_MS = 2_000;

/**
 * How long a new holder waits before it resolves intents by external key: until the previous holder's last possible
 * partner call has ended. Nothing when the previous holder released the lease (it finished; nothing in flight). Else
 * the previous holder sent nothing after it saw the new fence (within a tick) and nothing after a heartbeat timeout
 * without reaching Temporal, during which it did not renew; each call it sent ends within the partner call timeout.
 * A holder that went quiet long ago (killed, partitioned) thus costs nothing; one renewed just now costs one timeout.
 */
export function inFlightWaitMs(previous: PreviousHolder | undefined, dbNow: Date, heartbeatTimeoutMs: number, callTimeoutMs = PARTNER_CALL_TIMEOUT_MS): number {
  if (!previous || previous.released) return 0;
  const lastSend = Math.min(dbNow.getTime() + LEASE_TICK_MS, previous.renewedAt.getTime() + heartbeatTimeoutMs + 2 * LEASE_TICK_MS);
  return Math.max(0, lastSend + callTimeoutMs + SEND_MARGIN_MS - dbNow.getTime());
}

/**
 * One activity attempt's hold on its connection. Writes carry `lease` (db/connection-leases.ts refuses them once a
 * newer attempt raised the fence); `check()` runs before partner calls and stops the attempt once it lost the lease
 * or could not reach Temporal for its heartbeat timeout (the server then starts the next attempt elsewhere).
 */
export class WriteFence {
  readonly lease: Lease;
  refusedWrites = 0;
  blockedSends = 0;
  private lostReason?: string;
  private waited?: Promise<void>;

  constructor(
    private readonly deps: Pick<ActivityDeps, 'pool' | 'reachability'>,
    lease: Lease,
    readonly waitMs: number,
    private readonly heartbeatTimeoutMs: number | undefined,
    private readonly cancelled?: AbortSignal,
  ) {
    this.lease = {
      ...lease,
      onRefused: (reason: string) => {
        this.refusedWrites += 1;
        this.lostReason ??= reason;
      },
    };
  }

  get lost(): string | undefined {
    this.noteSilence();
    return this.lostReason;
  }

  /** Throws LeaseLostError when this attempt may no longer call a partner or write. No I/O. */
  check(): void {
    const reason = this.lost;
    if (reason) throw new LeaseLostError(this.lease.connectionId, reason);
  }

  /** Before the first read of links and intents: waits out the previous holder's calls in flight (once). */
  async ready(): Promise<void> {
    this.waited ??= sleep(this.waitMs, this.cancelled);
    await this.waited;
    this.check();
  }

  /** The send guard of every partner request this attempt makes. */
  guardSend(): void {
    if (this.lost) this.blockedSends += 1;
    this.check();
  }

  /** Renews the lease while Temporal answers; otherwise only checks it, so it goes stale for the next holder. */
  async tick(): Promise<void> {
    if (this.lost) return;
    try {
      const reachable = !this.heartbeatTimeoutMs || !this.deps.reachability || this.deps.reachability.unreachableForMs() < 2 * LEASE_TICK_MS;
      const held = reachable ? await renewLease(this.deps.pool, this.lease) : await leaseHeld(this.deps.pool, this.lease);
      if (!held) this.lostReason ??= 'a newer attempt took the connection';
    } catch {
      // PostgreSQL unreachable: every write of this attempt fails on its own; nothing to decide here.
    }
  }

  private noteSilence(): void {
    if (this.lostReason || !this.heartbeatTimeoutMs || !this.deps.reachability) return;
    const silentMs = this.deps.reachability.unreachableForMs();
    if (silentMs > this.heartbeatTimeoutMs) {
      this.lostReason = `Temporal unreachable for ${Math.round(silentMs / 1000)} s, longer than the heartbeat timeout: the server starts the next attempt`;
    }
  }
}

/**
 * Runs an activity attempt's work holding its connection's lease: taken at the start (newer attempts win), renewed
 * every tick, released at the end (every lane has finished by then, so no call of this attempt is in flight). Every
 * partner request inside `fn` passes the fence's send guard. An attempt that lost the lease fails non-retryably with
 * type LeaseLost: the newer attempt owns the work (and the workflow treats it as an interruption).
 */
export async function withWriteFence<T>(deps: Pick<ActivityDeps, 'pool' | 'logger' | 'reachability'>, ctx: Context, connectionId: string, fn: (fence: WriteFence) => Promise<T>): Promise<T> {
  const { workflowExecution, activityId, attempt, heartbeatTimeoutMs } = ctx.info;
  // This attempt's task just came from the server: Temporal was reachable a moment ago, whatever the probe saw last.
  deps.reachability?.markReachable();
  const holder = { workflowId: workflowExecution?.workflowId ?? '', runId: workflowExecution?.runId ?? '', activityId, attempt };
  const acquired = await acquireLease(deps.pool, connectionId, holder);
  if (!acquired) throw ApplicationFailure.create({ type: LEASE_LOST, nonRetryable: true, message: `a newer attempt of activity ${activityId} holds connection ${connectionId}` });
  const waitMs = inFlightWaitMs(acquired.previous, acquired.dbNow, heartbeatTimeoutMs ?? 0);
  const where = { connectionId, fence: acquired.lease.fence, activityId, attempt };
  if (waitMs > 0) {
    // An overlap: the previous holder never released the lease and may still be writing.
    deps.logger.warn({ event: 'lease-overlap', ...where, previous: acquired.previous?.holder, waitMs }, 'took the connection from an attempt that may still be writing; waiting out its partner calls before resolving intents');
  }
  const fence = new WriteFence(deps, acquired.lease, waitMs, heartbeatTimeoutMs, ctx.cancellationSignal);
  const timer = setInterval(() => void fence.tick(), LEASE_TICK_MS);
  try {
    return await sendGuard.run(() => fence.guardSend(), () => fn(fence));
  } catch (err) {
    const reason = fence.lost ?? (err instanceof LeaseLostError ? err.reason : undefined);
    if (reason === undefined) throw err;
    deps.logger.warn({ event: 'lease-lost', ...where, reason, refusedWrites: fence.refusedWrites, blockedSends: fence.blockedSends }, 'stopped writing: this attempt no longer owns the connection');
    throw ApplicationFailure.create({ type: LEASE_LOST, nonRetryable: true, message: `connection ${connectionId}: ${reason}` });
  } finally {
    clearInterval(timer);
    // A no-op when a newer attempt holds the lease (the fence no longer matches).
    await releaseWhenReachable(deps.pool, acquired.lease, ctx.cancellationSignal);
  }
}

/** How long an attempt that ended while PostgreSQL was down keeps trying to release its lease (heartbeats go on). */
export const RELEASE_RETRY_MS = 60_000;

/**
 * Releases the lease; while PostgreSQL is unreachable (killed, restarting) tries again every half second, for up to
 * RELEASE_RETRY_MS or until the activity is cancelled. Nothing of this attempt is in flight any more, so a late
 * release is as safe as an early one, and it spares the next attempt, which cannot start before the database is back
 * anyway, from waiting out a partner call timeout for calls that ended long ago (inFlightWaitMs).
 */
export async function releaseWhenReachable(pool: Pick<ActivityDeps, 'pool'>['pool'], lease: Lease, cancelled?: AbortSignal, retryMs = RELEASE_RETRY_MS): Promise<boolean> {
  const deadline = Date.now() + retryMs;
  for (;;) {
    try {
      await releaseLease(pool, lease);
      return true;
    } catch (err) {
      if (!isDbUnavailable(err) || Date.now() >= deadline || cancelled?.aborted) return false;
    }
    await sleep(RELEASE_RETRY_EVERY_MS, cancelled).catch(() => undefined);
  }
}
const RELEASE_RETRY_EVERY_MS = 500;

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason as Error);
    };
    // The listener goes with the timer: a loop of sleeps on one activity's signal must not pile listeners up.
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
