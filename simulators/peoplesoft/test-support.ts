import { type RunningSimulator } from '../kit/types';
import { PeopleSoftSimAdmin } from './admin-client';
import { startPeopleSoftSimulator } from '.';

/** An in-process simulator on a free port with its admin client, for tests. */
export async function startWithAdmin(): Promise<{ sim: RunningSimulator; admin: PeopleSoftSimAdmin }> {
  const sim = await startPeopleSoftSimulator({ port: 0 });
  return { sim, admin: new PeopleSoftSimAdmin(sim.baseUrl) };
}

/** Empty state and no simulated slowness on wide ranges, so each test starts from the same place quickly. */
export async function resetFast(admin: PeopleSoftSimAdmin): Promise<void> {
  await admin.reset();
  await admin.setConfig({ slowQuery: { msPerDay: 0, maxMs: 0 } });
}
