import { z } from 'zod';
import { execute, inTransaction, queryRows, type Db, type Queryable } from './pool';

/** The activity attempt that holds (or asks for) a connection's lease. */
export interface LeaseHolder {
  workflowId: string;
  runId: string;
  activityId: string;
  attempt: number;
}

/** What a write carries to prove its attempt still owns the connection. */
export interface Lease {
  connectionId: string;
  fence: number;
  /** Told when a write carrying this lease was refused (the holder counts them and stops its other lanes). */
  onRefused?: (reason: string) => void;
}

/** A write or a partner call refused because a newer attempt took the connection (or this one lost Temporal). */
export class LeaseLostError extends Error {
  constructor(
    readonly connectionId: string,
    readonly reason: string,
  ) {
    super(`connection ${connectionId}: this attempt no longer owns the connection (${reason})`);
    this.name = 'LeaseLostError';
  }
}

const takenRow = z.object({
  taken: z.coerce.number(),
  workflow_id: z.string().nullable(),
  run_id: z.string().nullable(),
  activity_id: z.string().nullable(),
  attempt: z.number().nullable(),
  renewed_at: z.date().nullable(),
  released_at: z.date().nullable(),
  db_now: z.date(),
});

export interface PreviousHolder {
  holder: LeaseHolder;
  renewedAt: Date;
  released: boolean;
}

export interface AcquiredLease {
  lease: Lease;
  /** The attempt that held the lease before, if any; undefined for a connection's first lease. */
  previous?: PreviousHolder;
  /** PostgreSQL's clock at the acquisition: every lease time is PostgreSQL's, so worker clocks never matter. */
  dbNow: Date;
}

/**
 * Takes the connection's lease for `holder` and raises its fence, so every write still carrying the old fence is
 * refused from now on. Newer attempts win: the only refusal is an older attempt of the same activity asking after a
 * newer one took it (undefined). The row lock makes this wait for writes of the old holder that are committing.
 */
export async function acquireLease(pool: Db, connectionId: string, holder: LeaseHolder): Promise<AcquiredLease | undefined> {
  let taken = await takeLease(pool, connectionId, holder);
  if (!taken) {
    // The connection's first lease, or a refusal: after creating the row (if missing) the statement tells which.
    await createLeaseRow(pool, connectionId);
    taken = await takeLease(pool, connectionId, holder);
  }
  if (!taken) return undefined;
  return { lease: { connectionId, fence: taken.taken }, previous: previousHolder(taken), dbNow: taken.db_now };
}

/**
 * One statement (every poll attempt takes the lease: 10,000 connections make 33 a second): lock the row, raise its
 * fence, return the holder it had. The CTE's FOR UPDATE waits for a write committing under the old fence and then
 * reads the row as committed, so the holder returned is the one this fence replaced. No row: the connection has none
 * yet, or an older attempt of the same activity asked after a newer one took it.
 */
async function takeLease(pool: Db, connectionId: string, holder: LeaseHolder): Promise<z.infer<typeof takenRow> | undefined> {
  const [row] = await queryRows(
    pool,
    'take lease',
    `WITH prev AS (SELECT fence, workflow_id, run_id, activity_id, attempt, renewed_at, released_at FROM connection_leases WHERE connection_id = $1 FOR UPDATE)
     UPDATE connection_leases l SET fence = l.fence + 1, workflow_id = $2, run_id = $3, activity_id = $4, attempt = $5,
            acquired_at = now(), renewed_at = now(), released_at = NULL
       FROM prev
      WHERE l.connection_id = $1 AND NOT COALESCE(prev.workflow_id = $2 AND prev.run_id = $3 AND prev.activity_id = $4 AND prev.attempt > $5, false)
     RETURNING l.fence AS taken, prev.workflow_id, prev.run_id, prev.activity_id, prev.attempt, prev.renewed_at, prev.released_at, now() AS db_now`,
    [connectionId, holder.workflowId, holder.runId, holder.activityId, holder.attempt],
    takenRow,
  );
  return row;
}

/** A connection's lease row, held by nobody, before its first lease (a no-op when it exists). */
async function createLeaseRow(pool: Db, connectionId: string): Promise<void> {
  await execute(pool, 'create lease row', 'INSERT INTO connection_leases (connection_id) VALUES ($1) ON CONFLICT DO NOTHING', [connectionId]);
}

function previousHolder(row: z.infer<typeof takenRow>): PreviousHolder | undefined {
  return row.workflow_id && row.run_id && row.activity_id && row.attempt !== null && row.renewed_at
    ? { holder: { workflowId: row.workflow_id, runId: row.run_id, activityId: row.activity_id, attempt: row.attempt }, renewedAt: row.renewed_at, released: row.released_at !== null }
    : undefined;
}

/**
 * SQL that is true only while `fence` is the connection's current fence, for a write's WHERE clause; a NULL fence
 * (callers outside any attempt: API, tests) always passes. FOR SHARE holds the lease row until the write commits, so
 * a newer attempt's acquireLease waits for it: no write with an old fence commits after the fence was raised.
 */
export function fenceHolds(connectionParam: string, fenceParam: string): string {
  return `(${fenceParam}::bigint IS NULL OR EXISTS (SELECT 1 FROM connection_leases WHERE connection_id = ${connectionParam} AND fence = ${fenceParam} FOR SHARE))`;
}

/** For writes conditional on fenceHolds: no row written with a fence given means the fence was refused. */
export function assertFenceHeld(rowCount: number, lease: Lease | undefined, what: string): void {
  if (lease && rowCount === 0) refuse(lease, `${what} refused: a newer attempt raised the fence above ${lease.fence}`);
}

function refuse(lease: Lease, reason: string): never {
  lease.onRefused?.(reason);
  throw new LeaseLostError(lease.connectionId, reason);
}

/** Runs `fn` in one transaction that first checks, and holds until commit, that `lease` is still current. */
export async function withFence<T>(pool: Db, lease: Lease | undefined, fn: (db: Queryable) => Promise<T>): Promise<T> {
  if (!lease) return fn(pool);
  return inTransaction(pool, async (client) => {
    const held = await execute(client, 'check lease', 'SELECT 1 FROM connection_leases WHERE connection_id = $1 AND fence = $2 FOR SHARE', [lease.connectionId, lease.fence]);
    if (held === 0) refuse(lease, `write refused: a newer attempt raised the fence above ${lease.fence}`);
    return fn(client);
  });
}

/** The holder's heartbeat in PostgreSQL; false when a newer attempt took the lease. */
export async function renewLease(db: Queryable, lease: Lease): Promise<boolean> {
  return (await execute(db, 'renew lease', 'UPDATE connection_leases SET renewed_at = now() WHERE connection_id = $1 AND fence = $2', [lease.connectionId, lease.fence])) > 0;
}

/** Whether `lease` is still current, without renewing it (a holder that cannot reach Temporal must let it go stale). */
export async function leaseHeld(db: Queryable, lease: Lease): Promise<boolean> {
  return (await execute(db, 'check lease', 'SELECT 1 FROM connection_leases WHERE connection_id = $1 AND fence = $2', [lease.connectionId, lease.fence])) > 0;
}

/** The holder finished: none of its partner calls is in flight any more, so the next holder need not wait. */
export async function releaseLease(db: Queryable, lease: Lease): Promise<void> {
  await execute(db, 'release lease', 'UPDATE connection_leases SET released_at = now() WHERE connection_id = $1 AND fence = $2', [lease.connectionId, lease.fence]);
}
