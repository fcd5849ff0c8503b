import { listen } from '../kit/serve';
import type { RunningSimulator, SimulatorOptions } from '../kit/types';
import { JaggaerSimAdmin } from './admin-client';
import { createJaggaerApp } from './app';
import { seed, type SeedResult } from './seed';
import { TOKEN_PATH } from './token-server';

export interface RunningJaggaerSimulator extends RunningSimulator {
  /** The instance URL a connection's `instanceUrl` is set to (API paths and the token realm sit below it). */
  instanceUrl: string;
  tokenUrl: string;
  admin: JaggaerSimAdmin;
  /** A registered integration client; every start makes a new one. */
  client: { clientId: string; clientSecret: string };
  demo: SeedResult | undefined;
}

/** Starts the JAGGAER simulator on loopback; `demoRecords` > 0 seeds suppliers, requisitions, POs and invoices. */
export async function startJaggaerSimulator(opts: SimulatorOptions = {}): Promise<RunningJaggaerSimulator> {
  const parts = createJaggaerApp();
  const listening = await listen(parts.app, opts.port ?? 0);
  const client = parts.ctx.tokens.registerClient({});
  const n = opts.demoRecords ?? 0;
  const demo = n > 0 ? seed(parts.ctx.store, { suppliers: Math.max(1, Math.ceil(n / 10)), requisitions: n, purchaseOrders: n, invoices: n }) : undefined;
  return {
    partner: 'jaggaer',
    baseUrl: listening.baseUrl,
    instanceUrl: listening.baseUrl,
    tokenUrl: `${listening.baseUrl}${TOKEN_PATH}`,
    credentials: { clientId: client.clientId, clientSecret: client.clientSecret },
    client,
    admin: new JaggaerSimAdmin(listening.baseUrl),
    demo,
    close: () => listening.close(),
  };
}

export { createJaggaerApp } from './app';
export { JaggaerSimAdmin } from './admin-client';
export type { SeedResult, SeedRequest } from './seed';
