import { z } from 'zod';
import { createOnce, keysOf, type WriteResult } from './ci-write';
import { componentInterfaces } from './component-interfaces';
import { type PeopleSoftSoapCaller } from './soap-client';

/** VENDOR fields (https://pt.dbtutor.com/fscm/ap_arc_vendor_h.htm); VENDOR_STATUS codes vary by release, so any 1-char code. */
export const vendorInputSchema = z
  .object({
    SETID: z.string().min(1).max(5),
    VENDOR_ID: z.string().min(1).max(10),
    NAME1: z.string().min(1).max(40),
    NAME2: z.string().max(40).optional(),
    VENDOR_STATUS: z.string().length(1).optional(),
    VENDOR_CLASS: z.enum(['A', 'E', 'H', 'R']).optional(),
  })
  .strict();
export type VendorInput = z.input<typeof vendorInputSchema>;

/**
 * Create the vendor through the delivered VNDR_ID CI, or update it when the key exists with other values
 * (https://docs.oracle.com/cd/E13228_01/fscm9pbr0/eng/psbooks/fspr/htm/fspr05.htm). Create first: vendors are
 * mostly new, and a duplicate answer costs one Get, which also tells "already applied" from "needs update".
 */
export function upsertVendor(soap: PeopleSoftSoapCaller, input: VendorInput): Promise<WriteResult> {
  const vendor = vendorInputSchema.parse(input);
  const ci = componentInterfaces.vendor;
  return createOnce(soap, ci, vendor, async () => {
    await soap.call(ci, 'Update', vendor);
    return { outcome: 'updated', keys: keysOf(ci, vendor) };
  });
}
