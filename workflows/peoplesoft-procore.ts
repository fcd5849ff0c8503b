import type { SyncInput } from '../core/sync-types';
import { runSyncEngine } from './sync-engine';

/** PeopleSoft <-> Procore: vendors out, purchase orders both ways, Procore costs and change orders to PeopleSoft journals. */
export async function peopleSoftProcoreSync(input: SyncInput): Promise<void> {
  return runSyncEngine(input);
}
