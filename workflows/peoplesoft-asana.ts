import type { SyncInput } from '../core/sync-types';
import { runSyncEngine } from './sync-engine';

/** PeopleSoft <-> Asana: vouchers and requisitions become Asana tasks; completed tasks become PeopleSoft approvals. */
export async function peopleSoftAsanaSync(input: SyncInput): Promise<void> {
  return runSyncEngine(input);
}
