import type { ProcurifyClient } from './client';
import { rawVendorSchema, singleEnvelope } from './schemas';
import { toProcurifyVendor, vendorCreateBody, type ProcurifyVendor, type VendorWrite } from './vendor-model';

/**
 * POST /api/v3/vendors (vendors_create, https://developer.procurify.com/tag/vendors) -> 201 {data: VendorDetail}.
 * No idempotency key: callers record an intent first and recover a lost answer with findVendorByExternalId.
 */
export async function createVendor(client: ProcurifyClient, input: VendorWrite & { name: string }): Promise<ProcurifyVendor> {
  const body = await client.send(
    { operation: 'POST /api/v3/vendors', method: 'POST', path: '/api/v3/vendors', body: vendorCreateBody(input) },
    singleEnvelope(rawVendorSchema),
  );
  return toProcurifyVendor(body.data);
}
