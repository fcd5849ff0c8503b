/**
 * `npm start`: the whole stack in one process tree, nothing installed by hand: Temporal dev server (from
 * temporal-dev.yaml), embedded PostgreSQL + migrations, the partner simulators with demo data, the worker and the API.
 * Each external part is skipped when its env var points at an existing one (TEMPORAL_ADDRESS, DATABASE_URL).
 * Ctrl-C stops everything in reverse order.
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import { createActivities } from '../activities';
import { createApp } from '../api/app';
import { simulatorRegistry } from '../simulators/registry';
import { type RunningSimulator } from '../simulators/kit/types';
import { createWorker } from '../workers/create-worker';
import { WorkerMetrics } from '../workers/worker-metrics';
import { openDatabase } from './database';
import { configureOutboundPolicy } from '../connectors/http/outbound-policy';
import { DEMO_CUSTOMER_ID, startDemoConnection } from './demo-connection';
import { pairs } from '../pairs';
import { listen } from '../core/listen';
import { findFreePort } from '../core/free-port';
import { writeExampleConnection } from './example-connection';
import { ensureLocalAdminKey } from './local-admin-key';
import { logDestination, logFormatFor } from './log-destination';
import { loadConfigOrExit } from './load-config';
import { createLogger } from '../core/logger';
import { ensureLocalMasterKey, requireMasterKey } from './master-key';
import { connectClient, temporalTarget } from './temporal-connection';
import { startTemporalDevServer } from './temporal-dev-server';
import { startUiGateway } from './ui-gateway';

async function main(): Promise<void> {
  if (!process.env.MLC_MASTER_KEY && process.env.NODE_ENV !== 'production') {
    process.env.MLC_MASTER_KEY = ensureLocalMasterKey(process.env.MLC_DATA_DIR ?? '.data');
  }
  // The simulators listen on 127.0.0.1 over http: the local stack allows private partner URLs unless told otherwise.
  if (process.env.MLC_ALLOW_PRIVATE_PARTNER_URLS === undefined && process.env.NODE_ENV !== 'production') process.env.MLC_ALLOW_PRIVATE_PARTNER_URLS = 'true';
  const config = loadConfigOrExit();
  configureOutboundPolicy({ allowPrivateNetworks: config.MLC_ALLOW_PRIVATE_PARTNER_URLS });
  const logger = createLogger(config.LOG_LEVEL, 'start', logDestination(logFormatFor(config)));
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
  // The SDK's own lines (worker state, core warnings) go through our logger, warnings and errors only.
  const sdkLog = logger.child({ name: 'temporal-sdk' });
  const sdkLevels: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' };
  Runtime.install({
    shutdownSignals: [],
    logger: new DefaultLogger('WARN', (entry) => sdkLog[sdkLevels[entry.level]](entry.meta ?? {}, entry.message)),
    telemetryOptions: { logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} } },
  });
  process.once('SIGINT', () => void stopAll(0));
  process.once('SIGTERM', () => void stopAll(0));

  try {
    let devAddress: string | undefined;
    let uiUrl: string | undefined;
    let devUiUrl: string | undefined;
    if (!config.TEMPORAL_ADDRESS) {
      // Support staff open the UI at TEMPORAL_UI_PORT, where a pass-through serves the dev server's UI (on an internal
      // port) and the API's /codec on one origin, so the browser sends the codec session cookie (ui-gateway.ts).
      const gatewayPort = config.TEMPORAL_UI_PORT || (await findFreePort());
      uiUrl = `http://127.0.0.1:${gatewayPort}`;
      const dev = await startTemporalDevServer({
        configPath: config.TEMPORAL_DEV_CONFIG,
        overrides: { port: config.TEMPORAL_PORT, uiPort: await findFreePort(), uiCodecEndpoint: `${uiUrl}/codec` },
        log: say,
        onServerOutput: temporalOutput(config),
      });
      stops.push({ name: 'temporal dev server', stop: dev.stop });
      devAddress = dev.address;
      devUiUrl = dev.uiUrl;
      if (!devUiUrl) uiUrl = undefined;
    }
    const target = temporalTarget(config, devAddress);

    const db = await openDatabase(config, say);
    stops.push({ name: 'database', stop: db.close });

    const sims: RunningSimulator[] = [];
    const simUrls: Record<string, string> = {};
    if (config.MLC_START_SIMULATORS) {
      for (const [name, start] of Object.entries(simulatorRegistry)) {
        const sim = await start({ demoRecords: 50 });
        sims.push(sim);
        simUrls[name] = sim.baseUrl;
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
    if (devUiUrl && uiUrl) {
      const gateway = await startUiGateway({ host: '127.0.0.1', port: Number(new URL(uiUrl).port), uiTarget: devUiUrl, codecTarget: api.baseUrl });
      stops.push({ name: 'temporal ui gateway', stop: gateway.close });
    }
    // Locally, an admin key for `mlc` (and the codec sign-in) with nothing set by hand; never in production.
    const localKey = config.NODE_ENV === 'production' ? undefined : await ensureLocalAdminKey(db.pool, config.MLC_DATA_DIR, api.baseUrl);

    // One demo connection per declared pair whose simulators are all running.
    const demos: Array<{ workflowId: string; customerId: string }> = [];
    for (const pair of pairs) {
      if (!Object.keys(pair.demo.simulators).every((name) => simUrls[name])) continue;
      demos.push({ ...(await startDemoConnection(pair, { pool: db.pool, temporal, taskQueue: config.TEMPORAL_TASK_QUEUE, masterKey, simulators: simUrls, apiUrl: api.baseUrl })), customerId: pair.demo.customerId ?? DEMO_CUSTOMER_ID });
    }
    // The README walk-through's connection file for these simulators (local runs only).
    const example =
      simUrls.peoplesoft && simUrls.asana && config.NODE_ENV !== 'production'
        ? await writeExampleConnection({ dataDir: config.MLC_DATA_DIR, peoplesoftUrl: simUrls.peoplesoft, asanaBaseUrl: simUrls.asana.replace(/\/api\/1\.0$/, ''), apiUrl: api.baseUrl })
        : undefined;

    const lines = [
      '',
      'ml-connector is running',
      `  Temporal      ${target.address} (namespace ${target.namespace})`,
      ...(uiUrl && devUiUrl ? [`  Temporal UI   ${uiUrl}  (decoded payloads: sign in once at ${uiUrl}/codec/session with an admin key)`] : []),
      `  API           ${api.baseUrl}  (health: ${api.baseUrl}/readyz)`,
      `  PostgreSQL    ${config.DATABASE_URL ? 'DATABASE_URL' : `embedded, data in ${config.MLC_DATA_DIR}/pg`}`,
      ...sims.map((s) => `  ${s.partner.padEnd(13)} ${s.baseUrl}  (simulator)`),
      ...(localKey ? [`  Admin key     ${path.relative(process.cwd(), localKey.file)} (${localKey.prefix}, ${localKey.created ? 'created now' : 'kept'}): npx mlc uses it`] : []),
      ...(example ? [`  Example       ${path.relative(process.cwd(), example)} (npx mlc connections create -f ${path.relative(process.cwd(), example)})`] : []),
      ...demos.map((demo) => `  Demo sync     ${demo.workflowId} (UI filter: CustomerId = "${demo.customerId}")`),
      'Press Ctrl-C to stop.',
      '',
    ];
    process.stdout.write(lines.join('\n'));
  } catch (err) {
    logger.error({ err }, 'start failed');
    await stopAll(1);
  }
}

/**
 * The dev server's own output: appended to MLC_DATA_DIR/temporal/server.log so the terminal shows our lines only, or
 * to the terminal with MLC_TEMPORAL_LOG=stdout. Its last lines are in the error either way if it fails to start.
 */
function temporalOutput(config: { MLC_DATA_DIR: string; MLC_TEMPORAL_LOG: 'file' | 'stdout' }): (line: string) => void {
  if (config.MLC_TEMPORAL_LOG === 'stdout') return (line) => process.stdout.write(`[temporal] ${line}\n`);
  const dir = path.resolve(config.MLC_DATA_DIR, 'temporal');
  mkdirSync(dir, { recursive: true });
  const file = createWriteStream(path.join(dir, 'server.log'), { flags: 'a' });
  return (line) => void file.write(`${line}\n`);
}

void main();
