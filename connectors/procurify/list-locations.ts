import type { ProcurifyClient } from './client';
import { rawLocationSchema, type RawLocation } from './schemas';

/** GET /api/v2/locations (locations_list, https://developer.procurify.com/tag/locations): a v2 path, every page. */
export function listLocations(client: ProcurifyClient, input: { active?: boolean } = {}): Promise<RawLocation[]> {
  return client.all({ operation: 'GET /api/v2/locations', method: 'GET', path: '/api/v2/locations', query: { active: input.active } }, rawLocationSchema);
}
