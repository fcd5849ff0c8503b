/**
 * `npm start`: the whole stack in one process tree, nothing installed by hand: Temporal dev server (from
 * temporal-dev.yaml), embedded PostgreSQL + migrations, the partner simulators with demo data, the worker and the API.
 * Each external part is skipped when its env var points at an existing one (TEMPORAL_ADDRESS, DATABASE_URL).
 * Ctrl-C stops everything in reverse order.
 */
import { Runtime } from '@temporalio/worker';
import { createActivities } from '../activities';
import { createApp } from '../api/app';
import { simulatorRegistry } from '../simulators/registry';
import { type RunningSimulator } from '../simulators/kit/types';
import { createWorker } from '../workers/create-worker';
import { WorkerMetrics } from '../workers/worker-metrics';
import { openDatabase } from './database';
import { configureOutboundPolicy } from '../connectors/http/outbound-policy';
import { DEMO_CUSTOMER_ID, startDemoConnection } from './demo-connection';
import { listen } from './listen';
import { loadConfigOrExit } from './load-config';
import { createLogger } from './logger';
import { ensureLocalMasterKey, requireMasterKey } from './master-key';
import { connectClient, temporalTarget } from './temporal-connection';
import { startTemporalDevServer } from './temporal-dev-server';

async function main(): Promise<void> {
  if (!process.env.MLC_MASTER_KEY && process.env.NODE_ENV !== 'production') {
    process.env.MLC_MASTER_KEY = ensureLocalMasterKey(process.env.MLC_DATA_DIR ?? '.data');
  }
  // The simulators listen on 127.0.0.1 over http: the local stack allows private partner URLs unless told otherwise.
  if (process.env.MLC_ALLOW_PRIVATE_PARTNER_URLS === undefined && process.env.NODE_ENV !== 'production') process.env.MLC_ALLOW_PRIVATE_PARTNER_URLS = 'true';
  const config = loadConfigOrExit();
  configureOutboundPolicy({ allowPrivateNetworks: config.MLC_ALLOW_PRIVATE_PARTNER_URLS });
  const logger = createLogger(config.LOG_LEVEL, 'start');
  const say = (line: string) => logger.info(line);
  const stops: Array<{ name: string; stop: () => Promise<unknown> }> = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('stopping...');
    for (const { name, stop } of stops.reverse()) {
      await stop().catch((err: unknown) => logger.error({ err }, `failed to stop ${name}`));
    }
    process.exit(code);
  };
  // We own shutdown order: the SDK must not stop the worker on its own signal handlers.
  Runtime.install({ shutdownSignals: [] });
  process.once('SIGINT', () => void stopAll(0));
  process.once('SIGTERM', () => void stopAll(0));

  try {
    let devAddress: string | undefined;
    let uiUrl: string | undefined;
    if (!config.TEMPORAL_ADDRESS) {
      const dev = await startTemporalDevServer({
        configPath: config.TEMPORAL_DEV_CONFIG,
        // The UI decodes payloads through this process's API (/codec), wherever API_PORT puts it.
        overrides: { port: config.TEMPORAL_PORT, uiPort: config.TEMPORAL_UI_PORT, uiCodecEndpoint: `http://${config.API_HOST}:${config.API_PORT}/codec` },
        log: say,
      });
      stops.push({ name: 'temporal dev server', stop: dev.stop });
      devAddress = dev.address;
      uiUrl = dev.uiUrl;
    }
    const target = temporalTarget(config, devAddress);

    const db = await openDatabase(config, say);
    stops.push({ name: 'database', stop: db.close });

    const sims: RunningSimulator[] = [];
    if (config.MLC_START_SIMULATORS) {
      for (const start of Object.values(simulatorRegistry)) {
        const sim = await start({ demoRecords: 50 });
        sims.push(sim);
        stops.push({ name: `${sim.partner} simulator`, stop: sim.close });
      }
    }

    const masterKey = requireMasterKey(config.MLC_MASTER_KEY);
    const workerMetrics = new WorkerMetrics();
    const { worker, connection } = await createWorker({
      target,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      activities: createActivities({ pool: db.pool, logger: logger.child({ name: 'worker' }), masterKey, telemetry: workerMetrics }),
      masterKey,
      workflowBundlePath: config.MLC_WORKFLOW_BUNDLE,
    });
    const running = worker.run();
    stops.push({
      name: 'worker',
      stop: async () => {
        worker.shutdown();
        await running;
        await connection.close();
      },
    });
    running.catch((err: unknown) => {
      logger.error({ err }, 'worker crashed');
      void stopAll(1);
    });

    const temporal = await connectClient(target, masterKey);
    stops.push({ name: 'temporal client', stop: () => temporal.connection.close() });
    const api = await listen(createApp({ pool: db.pool, temporal, logger, taskQueue: config.TEMPORAL_TASK_QUEUE, masterKey, temporalUiUrl: config.TEMPORAL_UI_URL ?? uiUrl, extraMetrics: [workerMetrics.registry] }), config.API_PORT, config.API_HOST);
    stops.push({ name: 'api', stop: api.close });

    const ps = sims.find((x) => x.partner === 'peoplesoft');
    const asana = sims.find((x) => x.partner === 'asana');
    const demo =
      ps && asana
        ? await startDemoConnection({ pool: db.pool, temporal, taskQueue: config.TEMPORAL_TASK_QUEUE, masterKey, peoplesoftUrl: ps.baseUrl, asanaBaseUrl: asana.baseUrl.replace(/\/api\/1\.0$/, ''), apiUrl: api.baseUrl })
        : undefined;

    const lines = [
      '',
      'ml-connector is running',
      `  Temporal      ${target.address} (namespace ${target.namespace})`,
      ...(uiUrl ? [`  Temporal UI   ${uiUrl}`] : []),
      `  API           ${api.baseUrl}  (health: ${api.baseUrl}/readyz)`,
      `  PostgreSQL    ${config.DATABASE_URL ? 'DATABASE_URL' : `embedded, data in ${config.MLC_DATA_DIR}/pg`}`,
      ...sims.map((s) => `  ${s.partner.padEnd(13)} ${s.baseUrl}  (simulator)`),
      ...(demo ? [`  Demo sync     ${demo.workflowId} (UI filter: CustomerId = "${DEMO_CUSTOMER_ID}")`] : []),
      'Press Ctrl-C to stop.',
      '',
    ];
    process.stdout.write(lines.join('\n'));
  } catch (err) {
    logger.error({ err }, 'start failed');
    await stopAll(1);
  }
}

void main();
