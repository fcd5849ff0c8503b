import { listen } from '../kit/serve';
import type { RunningSimulator, SimulatorOptions } from '../kit/types';
import { ProcurifyAdminClient } from './admin-client';
import { createProcurifyApp } from './app';
import { seed, type SeedResult } from './seed';

export interface RunningProcurifySimulator extends RunningSimulator {
  /** The tenant's host, e.g. http://127.0.0.1:4020 (what a connection's `baseUrl` is set to). */
  apiUrl: string;
  domain: string;
  admin: ProcurifyAdminClient;
  demo: SeedResult | undefined;
}

export interface ProcurifySimulatorOptions extends SimulatorOptions {
  /** The tenant's subdomain (`<domain>.procurify.com`); default `demo`. */
  domain?: string;
}

/**
 * Starts the Procurify simulator on loopback as one tenant. With `demoRecords` > 0 it registers an API application
 * (its client id and secret are the printed credentials) and seeds reference data and that many approved requisitions.
 */
export async function startProcurifySimulator(opts: ProcurifySimulatorOptions = {}): Promise<RunningProcurifySimulator> {
  const domain = opts.domain ?? 'demo';
  const parts = createProcurifyApp(domain);
  const listening = await listen(parts.app, opts.port ?? 0);
  const admin = new ProcurifyAdminClient(listening.baseUrl);
  let credentials: Record<string, unknown> = {};
  let demo: SeedResult | undefined;
  if ((opts.demoRecords ?? 0) > 0) {
    const client = await admin.registerClient({ clientId: 'demo-client', clientSecret: 'demo-secret' });
    demo = seed(parts.store, parts.clock, { requisitions: opts.demoRecords, vendors: 5 });
    credentials = { clientId: client.clientId, clientSecret: client.clientSecret, domain };
  }
  return {
    partner: 'procurify',
    baseUrl: listening.baseUrl,
    apiUrl: listening.baseUrl,
    domain,
    credentials,
    admin,
    demo,
    close: () => listening.close(),
  };
}

export { createProcurifyApp } from './app';
export type { SeedResult } from './seed';
