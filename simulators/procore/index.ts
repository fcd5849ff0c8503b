import { listen } from '../kit/serve';
import type { RunningSimulator, SimulatorOptions } from '../kit/types';
import { ProcoreSimAdmin } from './admin-client';
import { createProcoreApp } from './app';
import { seed, type SeedResult } from './seed';

export interface RunningProcoreSimulator extends RunningSimulator {
  /** The API and login base URL (one server plays both hosts). */
  apiUrl: string;
  companyId: string;
  admin: ProcoreSimAdmin;
  client: { clientId: string; clientSecret: string };
  demo: SeedResult | undefined;
}

/** Starts the Procore simulator on loopback; `demoRecords` > 0 seeds projects, direct costs and change orders. */
export async function startProcoreSimulator(opts: SimulatorOptions = {}): Promise<RunningProcoreSimulator> {
  const parts = createProcoreApp();
  const listening = await listen(parts.app, opts.port ?? 0);
  const client = parts.ctx.tokens.registerClient();
  const n = opts.demoRecords ?? 0;
  const demo = n > 0 ? seed(parts.ctx.store, { projects: 2, directCosts: n, linesPerDirectCost: 3, changeOrders: Math.max(1, Math.ceil(n / 5)) }) : undefined;
  return {
    partner: 'procore',
    baseUrl: listening.baseUrl,
    apiUrl: listening.baseUrl,
    companyId: parts.ctx.store.companyId,
    credentials: { clientId: client.clientId, clientSecret: client.clientSecret, companyId: parts.ctx.store.companyId },
    client,
    admin: new ProcoreSimAdmin(listening.baseUrl),
    demo,
    close: async () => {
      parts.ctx.webhooks.close();
      await listening.close();
    },
  };
}

export { ProcoreSimAdmin } from './admin-client';
export type { SeedResult } from './seed';
