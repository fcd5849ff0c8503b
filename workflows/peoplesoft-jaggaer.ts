import type { SyncInput } from '../core/sync-types';
import { runSyncEngine } from './sync-engine';

/** PeopleSoft <-> JAGGAER: requisitions out for sourcing, approved POs and invoices back, suppliers both ways. */
export async function peopleSoftJaggaerSync(input: SyncInput): Promise<void> {
  return runSyncEngine(input);
}
