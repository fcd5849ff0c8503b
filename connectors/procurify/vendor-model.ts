import type { RawVendor } from './schemas';
import { VENDOR_TYPE } from './status-codes';

/** A vendor in our own camelCase terms; the mixed-case keys Procurify uses stay in this file. */
export interface ProcurifyVendor {
  id: number;
  name: string;
  active: boolean;
  /** `external_id`: where the pair keeps the PeopleSoft VENDOR_ID. */
  externalId: string | null;
  address: { line1: string | null; line2: string | null; city: string | null; stateProvince: string | null; postalCode: string | null; country: string | null };
  phone: string | null;
  emails: string[];
  type: number;
  modifiedAt: string | undefined;
}

export type VendorWrite = Partial<Omit<ProcurifyVendor, 'id' | 'modifiedAt' | 'address'>> & {
  address?: Partial<ProcurifyVendor['address']>;
};

export function toProcurifyVendor(raw: RawVendor): ProcurifyVendor {
  return {
    id: raw.id,
    name: raw.name,
    active: raw.active ?? true,
    externalId: raw.external_id ?? null,
    address: {
      line1: raw.addressLineOne ?? null,
      line2: raw.addressLineTwo ?? null,
      city: raw.city ?? null,
      stateProvince: raw.state_province ?? null,
      postalCode: raw.postalCode ?? null,
      country: raw.country ?? null,
    },
    phone: raw.phoneOne ?? null,
    emails: raw.email ?? [],
    type: raw.type,
    modifiedAt: raw.dateModified,
  };
}

/**
 * OptimizedVendorRequest keys, exactly as the spec spells them: `addressLineOne`, `postalCode`, `state_province`,
 * `phoneOne`, `external_id`. Only the fields given are sent (PATCH semantics for updates).
 */
export function vendorRequestBody(input: VendorWrite): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const set = (key: string, value: unknown) => {
    if (value !== undefined) body[key] = value;
  };
  set('name', input.name);
  set('active', input.active);
  set('external_id', input.externalId);
  set('addressLineOne', input.address?.line1);
  set('addressLineTwo', input.address?.line2);
  set('city', input.address?.city);
  set('state_province', input.address?.stateProvince);
  set('postalCode', input.address?.postalCode);
  set('country', input.address?.country);
  set('phoneOne', input.phone);
  set('email', input.emails);
  set('type', input.type);
  return body;
}

/** The fields POST /api/v3/vendors requires (OptimizedVendorRequest.required: email, name, overall_score, type). */
export function vendorCreateBody(input: VendorWrite & { name: string }): Record<string, unknown> {
  return { email: [], overall_score: null, type: VENDOR_TYPE.PREFERRED, ...vendorRequestBody(input) };
}
