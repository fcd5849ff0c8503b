import { randomUUID } from 'node:crypto';
import express, { type Express } from 'express';
import { pinoHttp } from 'pino-http';
import { Registry } from 'prom-client';
import { type Client } from '@temporalio/client';
import { type Db } from '../db/pool';
import { type Logger } from '../core/logger';
import { CredentialCipher } from '../db/credential-cipher';
import { authenticate } from './middleware/authenticate';
import { validateJsonBody, validatePathAndQuery } from './edge-validation';
import { headerSerializers } from './log-headers';
import { errorHandler, notFoundHandler } from './middleware/error-handler';
import { openApiDocument } from './openapi';
import { codecRoutes } from './routes/codec';
import { connectionControlRoutes } from './routes/connection-controls';
import { connectionHistoryRoutes } from './routes/connection-history';
import { connectionRosterRoutes } from './routes/connection-roster';
import { connectionRoutes } from './routes/connections';
import { ApiMetrics } from './metrics';
import { healthRoutes } from './routes/health';
import { webhookRoutes } from './routes/webhooks';

export interface ApiDeps {
  pool: Db;
  temporal: Client;
  logger: Logger;
  taskQueue: string;
  /** Decrypts webhook secrets; without it the webhook receivers are not mounted. */
  /** Decrypts partner webhook secrets (the same keys as credentials). */
  masterKey: string;
  /** Base URL of the Temporal Web UI, for the run links in responses. */
  temporalUiUrl?: string;
  /** Defaults to a fresh registry per app. */
  metrics?: ApiMetrics;
  /** Registries served with the API's at /metrics (the in-process worker's, under `npm start`). */
  extraMetrics?: Registry[];
}

export function createApp(appDeps: ApiDeps): Express {
  const deps = { ...appDeps, metrics: appDeps.metrics ?? new ApiMetrics(appDeps.pool) };
  const app = express();
  app.disable('x-powered-by');
  app.use(deps.metrics.countRequests());
  app.use(
    pinoHttp({
      logger: deps.logger,
      // A caller's request id is kept when it looks sane, so logs can be joined across services.
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/metrics' },
      // Headers by allow-list: credentials never reach the logs, whatever header they come in.
      serializers: headerSerializers,
    }),
  );
  // Strings PostgreSQL cannot hold and malformed percent-encodings are refused before any route sees them.
  app.use(validatePathAndQuery);
  // Open: health, the API description and the webhook receivers (partners authenticate by signature, checked there).
  app.use(healthRoutes(deps));
  const openApi = openApiDocument();
  app.get('/openapi.json', (_req, res) => {
    res.json(openApi);
  });
  // Open like health: labels carry no customer or connection ids (README: keep it on the internal network).
  const registry = deps.extraMetrics?.length ? Registry.merge([deps.metrics.registry, ...deps.extraMetrics]) : deps.metrics.registry;
  app.get('/metrics', async (_req, res) => {
    res.set('content-type', registry.contentType).send(await registry.metrics());
  });
  app.use(webhookRoutes(deps));
  // Authenticated inside (admin key or codec session), with CORS for the Temporal UI.
  app.use(codecRoutes({ pool: deps.pool, masterKey: deps.masterKey, temporalUiUrl: deps.temporalUiUrl ?? 'http://127.0.0.1:8233' }));

  const cipher = new CredentialCipher(deps.masterKey);
  const v1 = { ...deps, cipher, temporalUiUrl: deps.temporalUiUrl ?? 'http://127.0.0.1:8233', namespace: deps.temporal.options.namespace };
  app.use('/v1', authenticate(deps.pool), express.json({ limit: '256kb' }), validateJsonBody);
  app.use(connectionRoutes(v1));
  app.use(connectionControlRoutes(v1));
  app.use(connectionHistoryRoutes(v1));
  app.use(connectionRosterRoutes(v1));
  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
