import type { ProcurifyClient } from './client';
import { rawVendorSchema, singleEnvelope } from './schemas';
import { toProcurifyVendor, type ProcurifyVendor } from './vendor-model';

/** GET /api/v3/vendors/{id} (vendors_retrieve, https://developer.procurify.com/tag/vendors) -> {data: VendorDetail}. */
export async function getVendor(client: ProcurifyClient, id: number): Promise<ProcurifyVendor> {
  const body = await client.send({ operation: 'GET /api/v3/vendors/{id}', method: 'GET', path: `/api/v3/vendors/${id}` }, singleEnvelope(rawVendorSchema));
  return toProcurifyVendor(body.data);
}
