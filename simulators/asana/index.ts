import { listen } from '../kit/serve';
import type { RunningSimulator, SimulatorOptions } from '../kit/types';
import { AsanaAdminClient } from './admin-client';
import { API_BASE, createAsanaApp } from './app';
import { OAUTH_TOKEN_PATH } from './oauth-routes';
import { seed, type SeedResult } from './seed';

export interface RunningAsanaSimulator extends RunningSimulator {
  /** Root URL of the partner API, e.g. http://127.0.0.1:4010/api/1.0 (what a connector's baseUrl is set to). */
  apiUrl: string;
  /** The OAuth token endpoint, beside the API root like Asana's (connectors derive it from apiUrl). */
  tokenUrl: string;
  admin: AsanaAdminClient;
  /** The demo world seeded at start, when demoRecords > 0. */
  demo: SeedResult | undefined;
}

/** Starts the Asana simulator on loopback; `demoRecords` > 0 seeds a workspace, a project, fields and N tasks. */
export async function startAsanaSimulator(opts: SimulatorOptions = {}): Promise<RunningAsanaSimulator> {
  const parts = createAsanaApp();
  const listening = await listen(parts.app, opts.port ?? 0);
  parts.setBaseUrl(listening.baseUrl);
  parts.ctx.webhooks.start();
  const demo = (opts.demoRecords ?? 0) > 0 ? seed(parts.ctx.store, parts.ctx.clock, { tasks: opts.demoRecords }) : undefined;
  const apiUrl = `${listening.baseUrl}${API_BASE}`;
  return {
    partner: 'asana',
    baseUrl: apiUrl,
    apiUrl,
    tokenUrl: `${listening.baseUrl}${OAUTH_TOKEN_PATH}`,
    credentials: demo
      ? { token: demo.users[0]?.token, workspaceGid: demo.workspaceGid, projectGid: demo.projectGid }
      : {},
    admin: new AsanaAdminClient(listening.baseUrl),
    demo,
    close: async () => {
      parts.ctx.webhooks.stop();
      await listening.close();
    },
  };
}

export { createAsanaApp } from './app';
export type { SeedResult } from './seed';
