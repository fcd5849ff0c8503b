import { z } from 'zod';
import { settle, type RateBudgetStore } from '../connectors/http/rate-budget';
import { execute, inTransaction, queryRows, type Db } from './pool';

/**
 * The PostgreSQL store of shared rate budgets (table rate_budgets): one row per credential key. A lease is one short
 * transaction: create the row full if missing, lock it (FOR UPDATE), refill it by the time elapsed on the database's
 * clock (one clock for every worker), take what is there up to the lease size, write it back. The arithmetic is the
 * memory store's (settle), so unit tests and PostgreSQL agree.
 */
const bucketRow = z.object({ tokens: z.coerce.number(), elapsed_ms: z.coerce.number(), paused_for_ms: z.coerce.number() });

export function pgRateBudgetStore(pool: Db): RateBudgetStore {
  return {
    take: (key, bucket, want) =>
      inTransaction(pool, async (tx) => {
        await execute(tx, 'create rate budget', 'INSERT INTO rate_budgets (credential_key, tokens, refilled_at) VALUES ($1, $2, clock_timestamp()) ON CONFLICT (credential_key) DO NOTHING', [key, bucket.capacity]);
        const [row] = await queryRows(
          tx,
          'lock rate budget',
          `SELECT tokens,
                  EXTRACT(EPOCH FROM (clock_timestamp() - refilled_at)) * 1000 AS elapsed_ms,
                  GREATEST(0, COALESCE(EXTRACT(EPOCH FROM (paused_until - clock_timestamp())) * 1000, 0)) AS paused_for_ms
             FROM rate_budgets WHERE credential_key = $1 FOR UPDATE`,
          [key],
          bucketRow,
        );
        if (!row) throw new Error(`rate budget ${key} vanished while locked`);
        const out = settle(bucket, { tokens: row.tokens, pausedForMs: row.paused_for_ms }, row.elapsed_ms, want);
        // refilled_at moves by exactly the elapsed time we credited, so no refill is lost between the two statements.
        await execute(tx, 'take rate budget', `UPDATE rate_budgets SET tokens = $2, refilled_at = refilled_at + make_interval(secs => $3::double precision / 1000) WHERE credential_key = $1`, [
          key,
          out.tokens,
          Math.max(0, row.elapsed_ms),
        ]);
        return { granted: out.granted, waitMs: out.waitMs, pausedForMs: out.pausedForMs };
      }),
    pause: async (key, ms) => {
      await execute(
        pool,
        'pause rate budget',
        `INSERT INTO rate_budgets (credential_key, tokens, refilled_at, paused_until) VALUES ($1, 0, clock_timestamp(), clock_timestamp() + make_interval(secs => $2::double precision / 1000))
         ON CONFLICT (credential_key) DO UPDATE SET paused_until = GREATEST(COALESCE(rate_budgets.paused_until, '-infinity'), EXCLUDED.paused_until)`,
        [key, ms],
      );
    },
  };
}
