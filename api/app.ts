import { randomUUID } from 'node:crypto';
import express, { type Express } from 'express';
import { pinoHttp } from 'pino-http';
import { type Client } from '@temporalio/client';
import { type Db } from '../db/pool';
import { type Logger } from '../runtime/logger';
import { errorHandler, notFoundHandler } from './middleware/error-handler';
import { asanaWebhookRoutes } from './routes/asana-webhooks';
import { healthRoutes } from './routes/health';

export interface ApiDeps {
  pool: Db;
  temporal: Client;
  logger: Logger;
  taskQueue: string;
  /** Decrypts webhook secrets; without it the webhook receivers are not mounted. */
  /** Decrypts partner webhook secrets (the same keys as credentials). */
  masterKey: string;
}

export function createApp(deps: ApiDeps): Express {
  const app = express();
  app.disable('x-powered-by');
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
      autoLogging: { ignore: (req) => req.url === '/healthz' },
    }),
  );
  app.use(healthRoutes(deps));
  app.use(asanaWebhookRoutes(deps));
  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
