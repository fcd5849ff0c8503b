import type { SyncInput } from '../core/sync-types';
import { runSyncEngine } from './sync-engine';

/** PeopleSoft -> Jira: purchase orders, requisitions and vouchers become Jira issues; hand edits in Jira are restored. */
export async function peopleSoftJiraSync(input: SyncInput): Promise<void> {
  return runSyncEngine(input);
}
