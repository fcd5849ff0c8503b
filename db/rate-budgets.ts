import { z } from 'zod';
import { settle, type RateBudgetStore } from '../connectors/http/rate-budget';
import { execute, queryRows, type Db } from './pool';

/**
 * The PostgreSQL store of shared rate budgets (table rate_budgets): one row per credential key. A lease locks the row
 * (FOR UPDATE), refills it by the time elapsed on the database's clock (one clock for every worker), takes what is
 * there up to the lease size and writes it back, in one statement (TAKE_SQL); a credential's first lease creates
 * the row full first. The arithmetic is the memory store's (settle; TAKE_SQL
 * writes the same in SQL), so unit tests and PostgreSQL agree.
 */
const bucketRow = z.object({ tokens: z.coerce.number(), elapsed_ms: z.coerce.number(), paused_for_ms: z.coerce.number() });

/**
 * A lease in one round trip: the row is locked (FOR UPDATE
 * in the CTE, which waits for another worker's lease and then reads its result), refilled and taken by settle's
 * arithmetic written in SQL, and the state it had comes back, from which settle in JS gives the same grant and the
 * wait. `granted` is the database's: what the row lost is what the worker may send.
 */
const TAKE_SQL = `WITH prev AS (
    SELECT tokens,
           GREATEST(0, EXTRACT(EPOCH FROM (clock_timestamp() - refilled_at)) * 1000)::double precision AS elapsed_ms,
           GREATEST(0, COALESCE(EXTRACT(EPOCH FROM (paused_until - clock_timestamp())) * 1000, 0))::double precision AS paused_for_ms
      FROM rate_budgets WHERE credential_key = $1 FOR UPDATE),
  level AS (SELECT prev.*, LEAST($2::double precision, prev.tokens + prev.elapsed_ms * $3::double precision) AS level FROM prev),
  grant_ AS (SELECT level.*, CASE WHEN paused_for_ms > 0 THEN 0 ELSE GREATEST(0, LEAST($4::int, FLOOR(level)::int)) END AS granted FROM level)
  UPDATE rate_budgets r SET tokens = grant_.level - grant_.granted, refilled_at = r.refilled_at + make_interval(secs => grant_.elapsed_ms / 1000)
    FROM grant_ WHERE r.credential_key = $1
  RETURNING grant_.tokens, grant_.elapsed_ms, grant_.paused_for_ms, grant_.granted`;
const takenRow = bucketRow.extend({ granted: z.coerce.number() });

export function pgRateBudgetStore(pool: Db): RateBudgetStore {
  return {
    take: async (key, bucket, want) => {
      const take = () => queryRows(pool, 'take rate budget', TAKE_SQL, [key, bucket.capacity, bucket.refillPerMs, want], takenRow);
      let [taken] = await take();
      if (!taken) {
        // The credential's first lease: create its row full (a no-op if another worker just did), then take.
        await execute(pool, 'create rate budget', 'INSERT INTO rate_budgets (credential_key, tokens, refilled_at) VALUES ($1, $2, clock_timestamp()) ON CONFLICT (credential_key) DO NOTHING', [key, bucket.capacity]);
        [taken] = await take();
      }
      if (!taken) throw new Error(`rate budget ${key} vanished after it was created`);
      const out = settle(bucket, { tokens: taken.tokens, pausedForMs: taken.paused_for_ms }, taken.elapsed_ms, want);
      return { granted: taken.granted, waitMs: taken.granted > 0 ? 0 : out.waitMs, pausedForMs: out.pausedForMs };
    },
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
