import express, { type Express } from 'express';
import { SimClock } from '../kit/clock';
import { FaultInjector } from '../kit/faults';
import { RequestLog } from '../kit/request-log';
import { adminRoutes } from './admin-routes';
import { apiAuth, tenantHost, tokenRoutes } from './auth';
import { errorMiddleware, NoRouteError, procurifyErrorShapes } from './errors';
import { orderRoutes } from './order-routes';
import { purchaseOrderRoutes } from './po-routes';
import { referenceRoutes } from './reference-routes';
import { ProcurifyStore } from './store';
import { vendorRoutes } from './vendor-routes';

export interface ProcurifySimulatorParts {
  app: Express;
  store: ProcurifyStore;
  clock: SimClock;
  faults: FaultInjector;
  log: RequestLog;
}

/**
 * Order: admin (never faulted), tenant host check, the token endpoint (kept out of the request log: its bodies are
 * secrets), the request log (sees refused calls too), auth (Bearer + X-Procurify-Client), faults, then the API.
 * Django serves `/api/v3/vendors/` with the trailing slash its docs use; both spellings are accepted here.
 */
export function createProcurifyApp(domain = 'demo'): ProcurifySimulatorParts {
  const store = new ProcurifyStore(domain);
  const clock = new SimClock();
  const faults = new FaultInjector(procurifyErrorShapes);
  const log = new RequestLog(clock);
  const app = express();
  app.disable('x-powered-by');
  app.set('strict routing', false);
  app.use(express.json({ limit: '5mb' }));
  app.use('/__admin', adminRoutes({ store, clock, faults, log }));
  app.use(tenantHost(store));
  app.use(tokenRoutes(store, clock));
  app.use((req, _res, next) => {
    if (req.path.length > 1 && req.path.endsWith('/')) req.url = req.url.replace(/\/(?=\?|$)/, '');
    next();
  });
  app.use(log.middleware());
  app.use('/api', apiAuth(store, clock), faults.middleware());
  app.use(orderRoutes(store, clock), vendorRoutes(store, clock), referenceRoutes(store), purchaseOrderRoutes(store, clock));
  app.use(() => {
    throw new NoRouteError();
  });
  app.use(errorMiddleware());
  return { app, store, clock, faults, log };
}
