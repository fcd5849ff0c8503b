import type { ProcurifyClient } from './client';
import { rawVendorSchema } from './schemas';
import { toProcurifyVendor, type ProcurifyVendor } from './vendor-model';

export interface ListVendorsInput {
  externalId?: string;
  name?: string;
  search?: string;
  type?: number;
}

/**
 * GET /api/v3/vendors (vendors_list, https://developer.procurify.com/tag/vendors): active vendors, filterable by
 * external_id, name, search, type. The spec also lists a required path parameter `vendor_group` that the path has
 * no placeholder for; it is not sent (the documented curl example calls the bare path).
 */
export async function* listVendors(client: ProcurifyClient, input: ListVendorsInput = {}): AsyncGenerator<ProcurifyVendor[], void, void> {
  const query = { external_id: input.externalId, name: input.name, search: input.search, type: input.type };
  for await (const page of client.pages({ operation: 'GET /api/v3/vendors', method: 'GET', path: '/api/v3/vendors', query }, rawVendorSchema)) {
    yield page.map(toProcurifyVendor);
  }
}

/** The vendor whose external_id is `externalId`, if any (the pair's key for vendors it wrote). */
export async function findVendorByExternalId(client: ProcurifyClient, externalId: string): Promise<ProcurifyVendor | undefined> {
  for await (const page of listVendors(client, { externalId })) {
    const hit = page.find((v) => v.externalId === externalId);
    if (hit) return hit;
  }
  return undefined;
}
