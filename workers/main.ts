/**
 * `npm run worker`: one worker process. Run N of them on the same task queue to scale out. SIGTERM/SIGINT drain
 * in-flight tasks (the SDK's runtime installs the handlers), then the pool closes.
 */
import { createActivities } from '../activities';
import { configureOutboundPolicy } from '../connectors/http/outbound-policy';
import { sharedRateLimiters } from '../connectors/http/rate-limiter';
import { pgRateBudgetStore } from '../db/rate-budgets';
import { openDatabase } from '../runtime/database';
import { loadConfigOrExit } from '../runtime/load-config';
import { logDestination, logFormatFor } from '../runtime/log-destination';
import { createLogger } from '../core/logger';
import { requireMasterKey } from '../runtime/master-key';
import { temporalTarget } from '../runtime/temporal-connection';
import { TemporalReachability } from '../activities/temporal-reachability';
import { createWorker } from './create-worker';
import { serveWorkerMetrics, WorkerMetrics } from './worker-metrics';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  configureOutboundPolicy({ allowPrivateNetworks: config.MLC_ALLOW_PRIVATE_PARTNER_URLS });
  const logger = createLogger(config.LOG_LEVEL, 'worker', logDestination(logFormatFor(config)));
  const db = await openDatabase(config, (line) => logger.info(line));
  // Partners limit per credential, not per process: every worker takes its budget from one row per credential.
  sharedRateLimiters.useSharedBudget(pgRateBudgetStore(db.pool));
  const target = temporalTarget(config);
  const masterKey = requireMasterKey(config.MLC_MASTER_KEY);
  const metrics = new WorkerMetrics();
  const served = config.MLC_WORKER_METRICS_PORT > 0 ? await serveWorkerMetrics(metrics, config.MLC_WORKER_METRICS_PORT, config.API_HOST) : undefined;
  const reachability = new TemporalReachability();
  const { worker, connection } = await createWorker({
    target,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    activities: createActivities({ pool: db.pool, logger, masterKey, telemetry: metrics, reachability }),
    masterKey,
    workflowBundlePath: config.MLC_WORKFLOW_BUNDLE,
    ...(config.MLC_WORKER_MAX_CACHED_WORKFLOWS === undefined ? {} : { tuning: { maxCachedWorkflows: config.MLC_WORKER_MAX_CACHED_WORKFLOWS } }),
  });
  const stopWatching = reachability.watch(connection);
  logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE, address: target.address, namespace: target.namespace, metrics: served?.url }, 'worker started');
  try {
    await worker.run();
  } finally {
    stopWatching();
    await connection.close();
    await served?.close();
    await db.close();
    logger.info('worker stopped');
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`worker failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
