import type { ProcurifyClient } from './client';
import { rawAccountCodeSchema, type RawAccountCode } from './schemas';

/** GET /api/v3/account-codes (Accountcodes_list, https://developer.procurify.com/tag/account-codes), every page. */
export function listAccountCodes(client: ProcurifyClient, input: { active?: boolean } = {}): Promise<RawAccountCode[]> {
  return client.all({ operation: 'GET /api/v3/account-codes', method: 'GET', path: '/api/v3/account-codes', query: { active: input.active } }, rawAccountCodeSchema);
}
