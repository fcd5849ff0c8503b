/** `npm run api`: the HTTP API alone (Temporal and PostgreSQL must be reachable, or embedded PostgreSQL starts). */
import { openDatabase } from '../runtime/database';
import { loadConfigOrExit } from '../runtime/load-config';
import { logDestination, logFormatFor } from '../runtime/log-destination';
import { createLogger } from '../core/logger';
import { requireMasterKey } from '../runtime/master-key';
import { connectClient, temporalTarget } from '../runtime/temporal-connection';
import { listen } from '../core/listen';
import { configureOutboundPolicy } from '../connectors/http/outbound-policy';
import { createApp } from './app';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  configureOutboundPolicy({ allowPrivateNetworks: config.MLC_ALLOW_PRIVATE_PARTNER_URLS });
  const logger = createLogger(config.LOG_LEVEL, 'api', logDestination(logFormatFor(config)));
  const db = await openDatabase(config, (line) => logger.info(line));
  const masterKey = requireMasterKey(config.MLC_MASTER_KEY);
  const temporal = await connectClient(temporalTarget(config), masterKey);
  const app = createApp({
    pool: db.pool, temporal, logger, taskQueue: config.TEMPORAL_TASK_QUEUE, masterKey,
    temporalUiUrl: config.TEMPORAL_UI_URL ?? `http://127.0.0.1:${config.TEMPORAL_UI_PORT}`,
  });
  const server = await listen(app, config.API_PORT, config.API_HOST);
  logger.info({ url: server.baseUrl }, 'api listening');
  const stop = async () => {
    await server.close();
    await temporal.connection.close();
    await db.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  process.stderr.write(`api failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
