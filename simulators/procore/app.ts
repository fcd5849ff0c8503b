import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { SimClock } from '../kit/clock';
import { FaultInjector } from '../kit/faults';
import { RequestLog } from '../kit/request-log';
import { adminRoutes } from './admin-routes';
import { apiRoutes } from './api-routes';
import { directCostRoutes } from './direct-cost-routes';
import { clientOf, procoreAuth } from './auth';
import type { SimContext } from './context';
import { RateLimits } from './rate-limits';
import { requisitionRoutes } from './requisition-routes';
import { ProcoreStore } from './store';
import { ProcoreTokens } from './token-server';
import { WebhookEngine } from './webhook-engine';
import { webhookRoutes } from './webhook-routes';

export interface ProcoreSimulatorParts {
  app: Express;
  ctx: SimContext;
  faults: FaultInjector;
  log: RequestLog;
}

/**
 * Order: admin (never faulted), the token endpoint (kept out of the log: its bodies are secrets), the request log, the
 * rate limits (every request counts, refused ones too), injected faults (503 under load with Retry-After, drops,
 * latency), auth and the company header, then the API. The login host and the API share this one server.
 */
export function createProcoreApp(): ProcoreSimulatorParts {
  const clock = new SimClock();
  const store = new ProcoreStore(clock);
  const ctx: SimContext = { clock, store, tokens: new ProcoreTokens(clock), limits: new RateLimits(clock), webhooks: new WebhookEngine(store, clock), syncErrors: new Map() };
  // Heavy load: "503 Service Unavailable ... inspect the Retry-After header" (https://developers.procore.com/documentation/rate-limiting).
  const faults = new FaultInjector({
    tooManyRequests: () => ({ body: { message: 'You have surpassed the max number of requests for an hour. Please wait until your limit resets.' } }),
    serverError: () => ({ body: { message: 'Service Unavailable' } }),
  });
  const log = new RequestLog(clock, { keptHeaders: ['retry-after', 'x-rate-limit-limit', 'x-rate-limit-remaining', 'x-rate-limit-reset'] });

  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '10mb' }));
  app.use('/__admin', adminRoutes(ctx, faults, log));
  app.post('/oauth/token', express.urlencoded({ extended: false }), (req, res) => {
    const answer = ctx.tokens.exchange((req.body ?? {}) as Record<string, unknown>);
    res.status(answer.status).set('Cache-Control', 'no-store').json(answer.body);
  });
  app.use(log.middleware());
  app.use(ctx.limits.middleware((req) => clientOf(ctx, req)));
  app.use((_req: Request, res: Response, next: NextFunction) => {
    // Injected 5xx answers carry Retry-After, as Procore's heavy-load 503 does.
    res.set('Retry-After', '1');
    next();
  });
  app.use(faults.middleware());
  app.use((_req: Request, res: Response, next: NextFunction) => {
    res.removeHeader('Retry-After');
    next();
  });
  app.use(procoreAuth(ctx));
  app.use(apiRoutes(ctx), directCostRoutes(ctx), requisitionRoutes(ctx), webhookRoutes(ctx));
  app.use((_req: Request, res: Response) => void res.status(404).json({ errors: 'Not Found' }));
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const parseFailed = (err as { type?: string }).type === 'entity.parse.failed';
    res.status(parseFailed ? 400 : 500).json({ errors: parseFailed ? 'Bad Request' : 'Internal Server Error' });
  });
  return { app, ctx, faults, log };
}
