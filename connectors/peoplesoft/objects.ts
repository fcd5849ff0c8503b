import { z } from 'zod';
import { decimalSchema } from '../../core/decimal';

/**
 * The REST inquiries our connector asks a customer's PeopleSoft administrator to build, one custom service operation
 * per object (`GET …/RESTListeningConnector/{NODE}/{operation}.v1/?LASTUPDDTTM_FROM=…&LASTUPDDTTM_TO=…`), and the raw
 * row each returns, with PeopleSoft's field names. URL shape: https://ib.books.cedarhillsgroup.com/listeningconnectors/restlisteningconnector/
 * Field names: https://pt.dbtutor.com/fscm/ap_appr_hdr_vw.htm, https://pt.dbtutor.com/fscm/gm_prop_po_vw.htm,
 * https://pt.dbtutor.com/fscm/ap_arc_vendor_h.htm, https://pt.dbtutor.com/fscm/jrnl_ln_pnl_tmp.htm
 */
const str = z.string();
const optStr = z.string().optional();
/** Amounts as decimal text (PeopleSoft's Signed Number(28,3)), never a float: see core/decimal.ts. */
const amount = decimalSchema;
const lastUpd = z.iso.datetime({ offset: true });
const psDate = z.string().regex(/^\d{4}-\d{2}-\d{2}/, 'a YYYY-MM-DD date');
/** Approval status translate values: https://pt.dbtutor.com/fscm/ap_appr_hdr_vw.htm */
export const apprStatusSchema = z.enum(['P', 'A', 'D']);

export const voucherRowSchema = z.looseObject({
  BUSINESS_UNIT: str, VOUCHER_ID: str, INVOICE_ID: str, INVOICE_DT: psDate, DUE_DT: psDate.optional(), VENDOR_SETID: optStr, VENDOR_ID: str,
  GROSS_AMT: amount, TXN_CURRENCY_CD: optStr, APPR_STATUS: apprStatusSchema, ENTRY_STATUS: optStr, VOUCHER_STYLE: optStr, LASTUPDDTTM: lastUpd,
});
export const requisitionRowSchema = z.looseObject({
  BUSINESS_UNIT: str, REQ_ID: str, REQ_NAME: optStr, REQ_DT: psDate.optional(), REQUESTOR_ID: str, APPR_STATUS: apprStatusSchema,
  TXN_CURRENCY_CD: optStr, MERCHANDISE_AMT: amount.optional(),
  /** The requisition line's distribution account (REQ_LINE_DISTRIB ACCOUNT), where the inquiry joins it in. */
  ACCOUNT: optStr,
  LASTUPDDTTM: lastUpd,
});
/** PO_STATUS translate values: https://pt.dbtutor.com/fscm/gm_prop_po_vw.htm */
export const poStatusSchema = z.enum(['A', 'C', 'D', 'DA', 'I', 'LD', 'O', 'PA', 'PX', 'X']);
export const purchaseOrderRowSchema = z.looseObject({
  BUSINESS_UNIT: str, PO_ID: str, PO_DT: psDate.optional(), VENDOR_SETID: optStr, VENDOR_ID: str, PO_STATUS: poStatusSchema, REQ_ID: optStr,
  BUYER_ID: optStr, TXN_CURRENCY_CD: optStr, LASTUPDDTTM: lastUpd,
});
/** VENDOR_STATUS: sources disagree (A/D/E/I/X vs A/I/U), so any code is accepted and passed on unchanged. */
export const vendorRowSchema = z.looseObject({ SETID: str, VENDOR_ID: str, NAME1: str, NAME2: optStr, VENDOR_STATUS: str, VENDOR_CLASS: optStr, LASTUPDDTTM: lastUpd });
export const glAccountRowSchema = z.looseObject({ SETID: str, ACCOUNT: str, DESCR: optStr, ACCOUNT_TYPE: optStr, EFF_STATUS: optStr, EFFDT: psDate.optional(), LASTUPDDTTM: lastUpd });
export const journalLineRowSchema = z.looseObject({
  BUSINESS_UNIT: str, JOURNAL_ID: str, JOURNAL_DATE: psDate, UNPOST_SEQ: z.coerce.number().int(), JOURNAL_LINE: z.coerce.number().int(), LEDGER: optStr,
  ACCOUNT: str, DEPTID: optStr, OPERATING_UNIT: optStr, PROJECT_ID: optStr, MONETARY_AMOUNT: amount, TXN_CURRENCY_CD: optStr, LINE_DESCR: optStr, LASTUPDDTTM: lastUpd,
});
export const employeeRowSchema = z.looseObject({ EMPLID: str, NAME: str, EMAILID: optStr, DEPTID: optStr, EMPL_STATUS: optStr, LASTUPDDTTM: lastUpd });

interface ObjectDef<S extends z.ZodType> {
  operation: string;
  /** Root element of the response document and the row collection inside it. */
  responseRoot: string;
  collection: string;
  keys: readonly string[];
  schema: S;
}
const def = <S extends z.ZodType>(operation: string, collection: string, keys: readonly string[], schema: S): ObjectDef<S> => ({
  operation,
  responseRoot: `${operation}_RESP`,
  collection,
  keys,
  schema,
});

export const peopleSoftObjects = {
  voucher: def('MLC_VOUCHER_SYNC_GET', 'VOUCHER', ['BUSINESS_UNIT', 'VOUCHER_ID'], voucherRowSchema),
  requisition: def('MLC_REQ_SYNC_GET', 'REQ_HDR', ['BUSINESS_UNIT', 'REQ_ID'], requisitionRowSchema),
  purchaseOrder: def('MLC_PO_SYNC_GET', 'PO_HDR', ['BUSINESS_UNIT', 'PO_ID'], purchaseOrderRowSchema),
  vendor: def('MLC_VENDOR_SYNC_GET', 'VENDOR', ['SETID', 'VENDOR_ID'], vendorRowSchema),
  glAccount: def('MLC_GL_ACCOUNT_GET', 'GL_ACCOUNT_TBL', ['SETID', 'ACCOUNT'], glAccountRowSchema),
  journalLine: def('MLC_JOURNAL_GET', 'JRNL_LN', ['BUSINESS_UNIT', 'JOURNAL_ID', 'JOURNAL_DATE', 'UNPOST_SEQ', 'JOURNAL_LINE'], journalLineRowSchema),
  employee: def('MLC_EMPLOYEE_GET', 'EMPLOYEE', ['EMPLID'], employeeRowSchema),
};
export type PeopleSoftObject = keyof typeof peopleSoftObjects;
export type PeopleSoftRow<O extends PeopleSoftObject> = z.output<(typeof peopleSoftObjects)[O]['schema']>;
export const peopleSoftObjectNames = Object.keys(peopleSoftObjects) as PeopleSoftObject[];

export function rowKey(object: PeopleSoftObject, row: Record<string, unknown>): string {
  return peopleSoftObjects[object].keys.map((k) => String(row[k] ?? '')).join('|');
}
