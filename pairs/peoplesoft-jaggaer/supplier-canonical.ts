import type { JaggaerSupplier, SupplierInput } from '../../connectors/jaggaer';
import type { VendorInput } from '../../connectors/peoplesoft';
import { vendorStatusOf } from './map-documents';

/**
 * The side-neutral supplier both supplier flows compare (activities/echo-guard.ts): ERP number, name, and status as
 * a VENDOR_STATUS code. Each system's version of a supplier, as read or as we write it, reduces to this form with
 * the same function for that system, so a read-back of our own write hashes equal and is not synced back.
 */
export interface NeutralSupplier {
  number?: string;
  name: string;
  status?: string;
}

const neutral = (n: NeutralSupplier): Record<string, unknown> => Object.fromEntries(Object.entries(n).filter(([, v]) => v !== undefined));

/** PeopleSoft's side: a VENDOR row as read, or the VNDR_ID payload we write. */
export const vendorNeutral = (v: { VENDOR_ID: string; NAME1: string; VENDOR_STATUS?: string } | VendorInput) => neutral({ number: v.VENDOR_ID, name: v.NAME1, status: v.VENDOR_STATUS });

/** JAGGAER's side: a supplier profile as read, or the companyprofiles payload we write. */
export const supplierNeutral = (s: Pick<JaggaerSupplier, 'supplierNumber' | 'name' | 'status'> | SupplierInput) =>
  neutral({ number: s.supplierNumber, name: s.name, status: vendorStatusOf(s.status) ?? s.status });
