import type { JaggaerClient } from './client';
import { listChangedPage, type ChangedPage, type ChangedPageInput } from './list-changed';
import { toRequisition, type JaggaerRequisition } from './models';

/**
 * GET {instance}/j1p/api/public/jp/v1/requisitions?start=N&flt=LASTMODTIME>=... (path and list key provisional, see
 * provider.ts; envelope and paging as documented for J1P in ../shared/reference/partner-apis.md part 2 §4).
 */
export function listRequisitionsPage(client: JaggaerClient, input: ChangedPageInput = {}): Promise<ChangedPage<JaggaerRequisition>> {
  return listChangedPage(client, 'requisitions', (doc) => toRequisition(doc, client.provider), input);
}
