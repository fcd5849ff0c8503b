/**
 * Vendor identity across the two systems. A vendor born in Procurify is `PRCF` + its Procurify id in PeopleSoft
 * (VENDOR_ID Char10); a vendor born in PeopleSoft carries its VENDOR_ID in Procurify's `external_id`, and keeps it.
 */
export function psVendorId(procurifyId: number, externalId?: string | null): string {
  if (externalId) return externalId;
  return `PRCF${String(procurifyId).padStart(6, '0')}`;
}

export const procurifyVendorKey = (id: number): string => `procurify-vendor:${id}`;
