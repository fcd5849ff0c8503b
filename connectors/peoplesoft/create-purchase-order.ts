import { z } from 'zod';
import { decimalTextSchema } from '../../core/decimal';
import { createOnce, type WriteResult } from './ci-write';
import { componentInterfaces } from './component-interfaces';
import { type PeopleSoftSoapCaller } from './soap-client';

const ymd = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');

/** PO_HDR + PO_LINE in PeopleSoft's field names (https://pt.dbtutor.com/fscm/gm_prop_po_vw.htm). */
export const purchaseOrderInputSchema = z
  .object({
    BUSINESS_UNIT: z.string().min(1).max(5),
    /** Given by us, not NEXT: a fixed key is what makes a retried Create detectable as a duplicate. */
    PO_ID: z.string().min(1).max(10),
    PO_DT: ymd,
    VENDOR_SETID: z.string().min(1).max(5),
    VENDOR_ID: z.string().min(1).max(10),
    BUYER_ID: z.string().max(30).optional(),
    REQ_ID: z.string().max(10).optional(),
    TXN_CURRENCY_CD: z.string().length(3).optional(),
    PO_LINE: z
      .array(
        z
          .object({
            LINE_NBR: z.number().int().min(1),
            DESCR254: z.string().max(254).optional(),
            QTY_PO: decimalTextSchema(4).refine((q) => !/^-|^0+(\.0+)?$/.test(q), 'a quantity above zero'),
            PRICE_PO: decimalTextSchema(5).refine((p) => !p.startsWith('-'), 'a price of zero or more'),
            ACCOUNT: z.string().max(10).optional(),
            DEPTID: z.string().max(10).optional(),
            PROJECT_ID: z.string().max(15).optional(),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();
export type PurchaseOrderInput = z.input<typeof purchaseOrderInputSchema>;

/** Create a purchase order through CI_MLC_PO_EXPRESS_C; a duplicate PO_ID that matches is "already applied". */
export function createPurchaseOrder(soap: PeopleSoftSoapCaller, input: PurchaseOrderInput): Promise<WriteResult> {
  return createOnce(soap, componentInterfaces.purchaseOrder, purchaseOrderInputSchema.parse(input));
}
