import { Pool, type PoolClient, type QueryResultRow } from 'pg';
import { type z } from 'zod';

export type Db = Pool;
/** Every data-access function takes an optional transaction client. */
export type Queryable = Pick<Pool, 'query'> | PoolClient;

export function createPool(url: string, max = 10): Pool {
  const pool = new Pool({ connectionString: url, max });
  // An idle client losing its connection (server restart) must not crash the process.
  pool.on('error', () => undefined);
  return pool;
}

/** Database errors are wrapped: the driver's message can carry SQL and values, which must not reach HTTP clients. */
export class DbError extends Error {
  constructor(
    readonly operation: string,
    override readonly cause: unknown,
  ) {
    super(`database operation failed: ${operation}`);
    this.name = 'DbError';
  }
}

export async function queryRows<S extends z.ZodType>(
  db: Queryable,
  operation: string,
  sql: string,
  params: unknown[],
  schema: S,
): Promise<z.infer<S>[]> {
  let rows: QueryResultRow[];
  try {
    rows = (await db.query(sql, params)).rows;
  } catch (err) {
    throw new DbError(operation, err);
  }
  return rows.map((row) => schema.parse(row));
}

export async function execute(db: Queryable, operation: string, sql: string, params: unknown[] = []): Promise<number> {
  try {
    return (await db.query(sql, params)).rowCount ?? 0;
  } catch (err) {
    throw new DbError(operation, err);
  }
}

/**
 * A checked-out client for `fn`, returned afterwards. The pool's 'error' listener covers idle clients only: a
 * checked-out client whose server goes away between two statements emits 'error' on itself, and with no listener
 * that kills the process (a worker taking a rate-budget lease while PostgreSQL was SIGKILLed, fault suite R3). The
 * statement in flight fails on its own; the broken client is then destroyed, not returned to the pool.
 */
export async function withClient<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (err: Error) => {
    broken = err;
  };
  client.on('error', onError);
  try {
    return await fn(client);
  } finally {
    client.off('error', onError);
    client.release(broken ?? false);
  }
}

export function inTransaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  return withClient(pool, async (client) => {
    try {
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  });
}
