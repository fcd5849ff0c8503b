import { z } from 'zod';
import { decimalTextSchema } from '../../core/decimal';
import { createOnce, type WriteResult } from './ci-write';
import { componentInterfaces } from './component-interfaces';
import { type PeopleSoftSoapCaller } from './soap-client';

const ymd = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
/** Signed Number(28,3) as text. */
const amount = decimalTextSchema(3);

/**
 * VOUCHER header and lines in PeopleSoft's field names (partner-apis.md part 2 §1.4: VOUCHER_ID Char8, INVOICE_ID
 * Char30, GROSS_AMT Signed Number(28,3)); a line carries BUSINESS_UNIT_PO/PO_ID when the invoice is matched to a PO.
 */
export const voucherInputSchema = z
  .object({
    BUSINESS_UNIT: z.string().min(1).max(5),
    /** Given by us, not NEXT: a fixed key is what makes a retried Create detectable as a duplicate. */
    VOUCHER_ID: z.string().min(1).max(8),
    INVOICE_ID: z.string().min(1).max(30),
    INVOICE_DT: ymd,
    DUE_DT: ymd.optional(),
    VENDOR_SETID: z.string().min(1).max(5),
    VENDOR_ID: z.string().min(1).max(10),
    GROSS_AMT: amount,
    TXN_CURRENCY_CD: z.string().length(3).optional(),
    VOUCHER_LINE: z
      .array(
        z
          .object({
            VOUCHER_LINE_NUM: z.number().int().min(1),
            DESCR: z.string().max(30).optional(),
            MERCHANDISE_AMT: amount,
            BUSINESS_UNIT_PO: z.string().max(5).optional(),
            PO_ID: z.string().max(10).optional(),
            /** The distribution line's GL account (VCHR_DIST_LINE ACCOUNT, Char10); absent = PeopleSoft's default distribution. */
            ACCOUNT: z.string().max(10).optional(),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();
export type VoucherInput = z.input<typeof voucherInputSchema>;

/** Create a voucher through CI_MLC_VCHR_EXPRESS_C; a duplicate VOUCHER_ID that matches is "already applied". */
export function createVoucher(soap: PeopleSoftSoapCaller, input: VoucherInput): Promise<WriteResult> {
  return createOnce(soap, componentInterfaces.voucher, voucherInputSchema.parse(input));
}
