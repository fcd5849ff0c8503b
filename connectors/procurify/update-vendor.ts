import type { ProcurifyClient } from './client';
import { rawVendorSchema, singleEnvelope } from './schemas';
import { toProcurifyVendor, vendorRequestBody, type ProcurifyVendor, type VendorWrite } from './vendor-model';

/**
 * PATCH /api/v3/vendors/{id} (Vendors_partialUpdate, https://developer.procurify.com/tag/vendors) -> 200
 * {data: OptimizedVendor}: only the given fields change. (PUT would require name, email, overall_score and type.)
 */
export async function updateVendor(client: ProcurifyClient, id: number, input: VendorWrite): Promise<ProcurifyVendor> {
  const body = await client.send(
    { operation: 'PATCH /api/v3/vendors/{id}', method: 'PATCH', path: `/api/v3/vendors/${id}`, body: vendorRequestBody(input) },
    singleEnvelope(rawVendorSchema),
  );
  return toProcurifyVendor(body.data);
}
