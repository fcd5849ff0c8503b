/**
 * A benchmark worker in its own process (so its RSS is the worker's alone): the product's activities and workflow
 * bundle, as `npm run worker` builds them. Env: BENCH_TEMPORAL_ADDRESS, BENCH_NAMESPACE, BENCH_TASK_QUEUE,
 * BENCH_DATABASE_URL, BENCH_MASTER_KEY, BENCH_WORKFLOW_BUNDLE; BENCH_UNLIMITED_ASANA_TOKENS (JSON list) lifts the
 * client-side Asana budget for those tokens, for runs that model a partner without a rate limit (P1, P5).
 */
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { createActivities } from '../activities';
import { ASANA, asanaRateLimitPolicy } from '../connectors/asana/provider';
import { configureOutboundPolicy } from '../connectors/http/outbound-policy';
import { sharedRateLimiters } from '../connectors/http/rate-limiter';
import { createPool } from '../db/pool';
import { pgRateBudgetStore } from '../db/rate-budgets';
import { createLogger } from '../core/logger';
import { createWorker } from '../workers/create-worker';
import { pollAttemptInterceptor } from './poll-attempts';

const env = (key: string): string => {
  const v = process.env[key];
  if (!v) throw new Error(`${key} is required`);
  return v;
};

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  configureOutboundPolicy({ allowPrivateNetworks: process.env.MLC_ALLOW_PRIVATE_PARTNER_URLS === 'true' });
  // The first caller of a token fixes its limiter's policy: registering these first is how a run says "no limit".
  for (const token of JSON.parse(process.env.BENCH_UNLIMITED_ASANA_TOKENS ?? '[]') as string[]) {
    sharedRateLimiters.for(ASANA, token, { ...asanaRateLimitPolicy, requestsPerWindow: 1_000_000_000 });
  }
  const pool = createPool(env('BENCH_DATABASE_URL'));
  // As workers/main.ts: the rate budget of a credential is shared by every worker process.
  sharedRateLimiters.useSharedBudget(pgRateBudgetStore(pool));
  const masterKey = env('BENCH_MASTER_KEY');
  const { worker, connection } = await createWorker({
    target: { address: env('BENCH_TEMPORAL_ADDRESS'), namespace: env('BENCH_NAMESPACE') },
    taskQueue: env('BENCH_TASK_QUEUE'),
    workflowBundlePath: env('BENCH_WORKFLOW_BUNDLE'),
    activities: createActivities({ pool, logger: createLogger('warn', 'bench-worker'), masterKey }),
    masterKey,
    // BENCH_MAX_CACHED_WORKFLOWS compares cache sizes (P6); unset, the product's default applies.
    ...(process.env.BENCH_MAX_CACHED_WORKFLOWS ? { tuning: { maxCachedWorkflows: Number(process.env.BENCH_MAX_CACHED_WORKFLOWS) } } : {}),
    // P6 reads poll lag from these lines: idle polls are activity retries, which history does not show.
    interceptors: { activity: [pollAttemptInterceptor((line) => process.stdout.write(`${line}\n`))] },
  });
  process.stdout.write('ready\n');
  await worker.run();
  await connection.close();
  await pool.end();
}

main().catch((err: unknown) => {
  process.stderr.write(`bench worker failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
