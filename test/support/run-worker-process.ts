import { DefaultLogger, Runtime } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { type FlowRegistry } from '../../activities/flows/types';
import { createPool } from '../../db/pool';
import { configureOutboundPolicy } from '../../connectors/http/outbound-policy';
import { sharedRateLimiters } from '../../connectors/http/rate-limiter';
import { pgRateBudgetStore } from '../../db/rate-budgets';
import { createLogger } from '../../core/logger';
import { TemporalReachability } from '../../activities/temporal-reachability';
import { createWorker } from '../../workers/create-worker';

/**
 * The body of a test worker process (started by startWorkerProcess, so a test can SIGKILL it): the real activities
 * and a prebuilt workflow bundle. Without a registry the worker ships the product's own flows, as in production.
 * Env: TEST_TEMPORAL_ADDRESS, TEST_NAMESPACE, TEST_TASK_QUEUE, TEST_DATABASE_URL, TEST_MASTER_KEY, TEST_WORKFLOW_BUNDLE,
 * optional TEST_LOG_LEVEL (default warn).
 */
export function runTestWorkerProcess(name: string, registry?: FlowRegistry): void {
  const env = (key: string) => {
    const v = process.env[key];
    if (!v) throw new Error(`${key} is required`);
    return v;
  };
  const main = async () => {
    configureOutboundPolicy({ allowPrivateNetworks: process.env.MLC_ALLOW_PRIVATE_PARTNER_URLS === 'true' });
    Runtime.install({ logger: new DefaultLogger('WARN') });
    const pool = createPool(env('TEST_DATABASE_URL'));
    // As workers/main.ts: rate budgets per credential in PostgreSQL, so a restarted (or second) worker process takes
    // up what the partner has already counted instead of starting with a full budget of its own.
    sharedRateLimiters.useSharedBudget(pgRateBudgetStore(pool));
    const masterKey = env('TEST_MASTER_KEY');
    const reachability = new TemporalReachability();
    const { worker, connection } = await createWorker({
      target: { address: env('TEST_TEMPORAL_ADDRESS'), namespace: env('TEST_NAMESPACE') },
      taskQueue: env('TEST_TASK_QUEUE'),
      workflowBundlePath: env('TEST_WORKFLOW_BUNDLE'),
      activities: createActivities({ pool, logger: createLogger(process.env.TEST_LOG_LEVEL ?? 'warn', name), masterKey, registry, reachability }),
      masterKey,
    });
    const stopWatching = reachability.watch(connection);
    process.stdout.write('ready\n');
    await worker.run();
    stopWatching();
    await connection.close();
    await pool.end();
  };
  main().catch((err: unknown) => {
    process.stderr.write(`${name} failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
