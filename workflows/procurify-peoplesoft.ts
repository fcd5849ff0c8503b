import type { SyncInput } from '../core/sync-types';
import { runSyncEngine } from './sync-engine';

/** Procurify -> PeopleSoft: approved requisitions become purchase orders; vendors both ways. */
export async function procurifyPeopleSoftSync(input: SyncInput): Promise<void> {
  return runSyncEngine(input);
}
