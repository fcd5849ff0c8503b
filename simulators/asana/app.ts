import express, { type Express } from 'express';
import { SimClock } from '../kit/clock';
import { FaultInjector } from '../kit/faults';
import { adminRoutes } from './admin-routes';
import { bearerAuth } from './auth';
import type { SimContext } from './context';
import { asanaErrorShapes, errorMiddleware, notFound } from './errors';
import { OAuthServer } from './oauth';
import { oauthTokenRoutes } from './oauth-routes';
import { RateLimits } from './rate-limits';
import { pathBelow, RequestLog } from '../kit/request-log';
import { resourceRoutes } from './resource-routes';
import { AsanaStore } from './store';
import { taskRoutes } from './task-routes';
import { WebhookEngine } from './webhook-engine';
import { webhookRoutes } from './webhook-routes';

export const API_BASE = '/api/1.0';

export interface AsanaSimulatorParts {
  app: Express;
  ctx: SimContext;
  faults: FaultInjector;
  limits: RateLimits;
  log: RequestLog;
  /** Set once listening: pagination `uri`s and Location headers are absolute. */
  setBaseUrl(url: string): void;
}

/**
 * Order matters: admin first (never faulted), the OAuth token endpoint (kept out of the request log: its requests
 * and answers are secrets), then the request log (sees every partner call, refused ones too), auth, the per-token
 * rate limiter, the fault injector (so injected latency holds a concurrency slot like a slow Asana would), and the
 * API routes.
 */
export function createAsanaApp(): AsanaSimulatorParts {
  const store = new AsanaStore();
  const clock = new SimClock();
  let baseUrl = 'http://127.0.0.1';
  const ctx: SimContext = {
    store,
    clock,
    webhooks: new WebhookEngine(store, clock),
    oauth: new OAuthServer(store, clock),
    pagination: { offsetTtlMs: 30 * 60_000, unpaginatedMax: 1000 },
    baseUrl: () => baseUrl,
  };
  const faults = new FaultInjector(asanaErrorShapes);
  const limits = new RateLimits(clock);
  const log = new RequestLog(clock, { path: pathBelow(API_BASE) });

  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '5mb' }));
  app.use('/__admin', adminRoutes({ ctx, faults, limits, log }));
  app.use(oauthTokenRoutes(ctx.oauth));
  app.use(log.middleware());
  app.use(API_BASE, bearerAuth(store, clock), limits.middleware(), faults.middleware());
  app.use(API_BASE, taskRoutes(ctx), webhookRoutes(ctx), resourceRoutes(ctx));
  app.use(() => {
    throw notFound('Not Found');
  });
  app.use(errorMiddleware());
  return { app, ctx, faults, limits, log, setBaseUrl: (url) => (baseUrl = url) };
}
