import { MappingError } from '../../activities/flows/types';
import { parseRecordKey, recordKey } from '../../connectors/peoplesoft/record-keys';

/**
 * Vendor identity across the two systems. A vendor born in Procurify is `PRCF` + its Procurify id in PeopleSoft
 * (VENDOR_ID Char10); a vendor born in PeopleSoft carries its VENDOR_ID in Procurify's `external_id`, and keeps it.
 */
export function psVendorId(procurifyId: number, externalId?: string | null): string {
  if (externalId) return externalId;
  return `PRCF${String(procurifyId).padStart(6, '0')}`;
}

export const procurifyVendorKey = (id: number): string => `procurify-vendor:${id}`;

/**
 * The Procurify vendor id in a `procurify-vendor:<id>` key (the PeopleSoft vendor flow's target id). A bare id is
 * accepted too: links written before both vendor flows shared keys hold the Procurify id alone.
 */
export function procurifyVendorIdOf(key: string): number {
  const id = Number(key.startsWith('procurify-vendor:') ? key.slice('procurify-vendor:'.length) : key);
  if (!Number.isInteger(id) || id <= 0) throw new MappingError(`not a Procurify vendor id or key: "${key}"`);
  return id;
}

/**
 * Record identity for the engine's echo guard: each vendor flow's target id is the other flow's source key. A
 * Procurify vendor is `procurify-vendor:<id>` on both sides of the pair; a PeopleSoft one `vendor:<SETID>/<VENDOR_ID>`.
 */
export const psVendorKey = (setId: string, vendorId: string): string => recordKey('vendor', setId, vendorId);

/** The VENDOR_ID of a `vendor:<SETID>/<VENDOR_ID>` key (the Procurify vendor flow's target id). */
export function psVendorIdOfKey(key: string): string | undefined {
  return parseRecordKey(key, ['vendor'])?.keys[1];
}
