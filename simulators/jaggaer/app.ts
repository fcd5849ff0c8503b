import { setTimeout as sleep } from 'node:timers/promises';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { RequestLog } from '../kit/request-log';
import { SimClock } from '../kit/clock';
import { FaultInjector } from '../kit/faults';
import { accountRoutes } from './account-routes';
import { adminRoutes } from './admin-routes';
import { bearerAuth } from './auth';
import type { SimContext } from './context';
import { jaggaerErrorShapes, sendReturnCode } from './envelope';
import { listRoutes } from './list-routes';
import { JaggaerStore } from './store';
import { TOKEN_PATH, TokenServer } from './token-server';
import { writeRoutes } from './write-routes';

export interface JaggaerSimulatorParts {
  app: Express;
  ctx: SimContext;
  faults: FaultInjector;
  log: RequestLog;
}

/**
 * Order matters: admin first (never faulted), the token endpoint (kept out of the request log: its bodies are
 * secrets), the request log (sees every API call, refused ones too), bearer auth, injected faults (429 bursts, 5xx,
 * latency, drops), injected returnCode errors, then the API.
 */
export function createJaggaerApp(): JaggaerSimulatorParts {
  const clock = new SimClock();
  const ctx: SimContext = { store: new JaggaerStore(clock), clock, tokens: new TokenServer(clock), settings: { pageSize: 100 }, returnCodeFault: undefined };
  const faults = new FaultInjector(jaggaerErrorShapes);
  const log = new RequestLog(clock);

  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '5mb' }));
  app.use('/__admin', adminRoutes({ ctx, faults, log }));
  app.post(TOKEN_PATH, express.urlencoded({ extended: false }), async (req, res) => {
    const { latencyMs } = ctx.tokens.current();
    if (latencyMs > 0) await sleep(latencyMs);
    const answer = ctx.tokens.exchange((req.body ?? {}) as Record<string, unknown>);
    // RFC 6749 §5.1: token answers must not be cached.
    res.status(answer.status).set('Cache-Control', 'no-store').json(answer.body);
  });
  app.use(log.middleware());
  app.use(bearerAuth(ctx.tokens), faults.middleware(), (req: Request, res: Response, next: NextFunction) => {
    const f = ctx.returnCodeFault;
    if (!f || (f.method && f.method !== req.method)) return next();
    f.left -= 1;
    if (f.left <= 0) ctx.returnCodeFault = undefined;
    sendReturnCode(res, f.returnCode, f.returnMessage);
  });
  app.use(listRoutes(ctx), writeRoutes(ctx), accountRoutes(ctx));
  app.use((_req: Request, res: Response) => void res.status(404).json({ error: 'Not Found' }));
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const parseFailed = (err as { type?: string }).type === 'entity.parse.failed';
    res.status(parseFailed ? 400 : 500).json({ error: parseFailed ? 'Bad Request' : 'Internal Server Error' });
  });
  return { app, ctx, faults, log };
}
