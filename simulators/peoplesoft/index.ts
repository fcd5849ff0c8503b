import express, { type Express } from 'express';
import { SimClock } from '../kit/clock';
import { FaultInjector } from '../kit/faults';
import { listen } from '../kit/serve';
import { type RunningSimulator, type SimulatorOptions } from '../kit/types';
import { adminRouter } from './admin-routes';
import { PsAuth } from './auth';
import { SimIdp } from './idp';
import { restRouter } from './rest-routes';
import { seedStore } from './seed';
import { soapRouter } from './soap-routes';
import { defaultGatewayConfig, type PsSimState } from './state';
import { PsStore } from './store';

/** Demo credentials only: the simulator is a local stand-in and these values open nothing real. */
export const DEMO_OPRID = 'MLC_INTEG';
export const DEMO_PASSWORD = 'mlc-sim-password';
export const DEMO_TOKEN = 'mlc-sim-static-token';
/** Can run the REST inquiries but no Component Interface: lets tests provoke (158,536). */
export const READONLY_OPRID = 'MLC_READONLY';
export const READONLY_PASSWORD = 'mlc-sim-readonly';

export function createPeopleSoftState(): PsSimState {
  const clock = new SimClock();
  const auth = new PsAuth(clock);
  auth.putUser({ oprid: DEMO_OPRID, password: DEMO_PASSWORD, operations: '*' });
  auth.putUser({
    oprid: READONLY_OPRID,
    password: READONLY_PASSWORD,
    operations: ['MLC_VOUCHER_SYNC_GET', 'MLC_REQ_SYNC_GET', 'MLC_PO_SYNC_GET', 'MLC_VENDOR_SYNC_GET', 'MLC_GL_ACCOUNT_GET', 'MLC_JOURNAL_GET', 'MLC_EMPLOYEE_GET'],
  });
  auth.addToken(DEMO_TOKEN, DEMO_OPRID);
  // The gateway sits behind a web server, so a throttling or failing tier answers in HTML, not in IB's own format.
  const faults = new FaultInjector({
    tooManyRequests: (retryAfterSeconds) => ({ body: 'Too Many Requests', headers: { 'Retry-After': String(retryAfterSeconds) } }),
    serverError: (status) => ({ body: `<HTML><HEAD><TITLE>Error ${status}</TITLE></HEAD><BODY>Integration Gateway unavailable (${status}).</BODY></HTML>`, contentType: 'text/html' }),
  });
  return { clock, store: new PsStore(clock), auth, idp: new SimIdp(auth), faults, config: defaultGatewayConfig(), inactive: new Set(), requests: new Map() };
}

export function createPeopleSoftApp(state: PsSimState): Express {
  const app = express();
  // The REST connector sends back only Connection, Date, Content-Length, Content-Type and Content-Encoding:
  // https://ib.books.cedarhillsgroup.com/listeningconnectors/restlisteningconnector/
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use('/__admin', adminRouter(state));
  // The IdP is another system than the gateway: the gateway's injected faults do not reach it.
  app.use('/idp', state.idp.router());
  app.use(state.faults.middleware());
  app.use(restRouter(state));
  app.use(soapRouter(state));
  return app;
}

/** `npm run sim -- peoplesoft --port N`: an Integration Broker gateway with FSCM demo data. */
export async function startPeopleSoftSimulator(opts: SimulatorOptions): Promise<RunningSimulator & { state: PsSimState }> {
  const state = createPeopleSoftState();
  if (opts.demoRecords && opts.demoRecords > 0) seedStore(state.store, state.clock.nowMs(), { recordsPerObject: opts.demoRecords });
  const server = await listen(createPeopleSoftApp(state), opts.port ?? 0);
  return {
    partner: 'peoplesoft',
    baseUrl: server.baseUrl,
    credentials: { node: state.config.node, oprid: DEMO_OPRID, password: DEMO_PASSWORD, accessToken: DEMO_TOKEN, adminUrl: `${server.baseUrl}/__admin` },
    close: server.close,
    state,
  };
}
