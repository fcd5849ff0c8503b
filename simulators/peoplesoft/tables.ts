/**
 * The PeopleSoft records the simulator holds, with PeopleSoft's own field names, and the custom REST service
 * operation a customer's PeopleSoft administrator would build to expose each one (FSCM ships no generic "changed
 * since" REST inquiry, so every customer builds one per object).
 * Field names: https://pt.dbtutor.com/fscm/ap_appr_hdr_vw.htm (VOUCHER), https://pt.dbtutor.com/fscm/gm_prop_po_vw.htm
 * (PO_HDR), https://pt.dbtutor.com/fscm/ap_arc_vendor_h.htm (VENDOR), https://pt.dbtutor.com/fscm/jrnl_ln_pnl_tmp.htm
 * (JRNL_LN).
 */
export const tableNames = ['voucher', 'requisition', 'purchaseOrder', 'vendor', 'glAccount', 'journalLine', 'employee'] as const;
export type TableName = (typeof tableNames)[number];

export interface TableDef {
  /** The PeopleSoft record the rows come from. */
  record: string;
  keys: readonly string[];
  /** Custom REST inquiry: `GET …/RESTListeningConnector/{NODE}/{restOperation}.v1/?LASTUPDDTTM_FROM=…&LASTUPDDTTM_TO=…`. */
  restOperation: string;
  /** Name of the row collection inside the response document. */
  collection: string;
}

export const tables: Record<TableName, TableDef> = {
  voucher: { record: 'VOUCHER', keys: ['BUSINESS_UNIT', 'VOUCHER_ID'], restOperation: 'MLC_VOUCHER_SYNC_GET', collection: 'VOUCHER' },
  requisition: { record: 'REQ_HDR', keys: ['BUSINESS_UNIT', 'REQ_ID'], restOperation: 'MLC_REQ_SYNC_GET', collection: 'REQ_HDR' },
  purchaseOrder: { record: 'PO_HDR', keys: ['BUSINESS_UNIT', 'PO_ID'], restOperation: 'MLC_PO_SYNC_GET', collection: 'PO_HDR' },
  vendor: { record: 'VENDOR', keys: ['SETID', 'VENDOR_ID'], restOperation: 'MLC_VENDOR_SYNC_GET', collection: 'VENDOR' },
  glAccount: { record: 'GL_ACCOUNT_TBL', keys: ['SETID', 'ACCOUNT'], restOperation: 'MLC_GL_ACCOUNT_GET', collection: 'GL_ACCOUNT_TBL' },
  journalLine: {
    record: 'JRNL_LN',
    keys: ['BUSINESS_UNIT', 'JOURNAL_ID', 'JOURNAL_DATE', 'UNPOST_SEQ', 'JOURNAL_LINE'],
    restOperation: 'MLC_JOURNAL_GET',
    collection: 'JRNL_LN',
  },
  employee: { record: 'PERSONAL_DATA', keys: ['EMPLID'], restOperation: 'MLC_EMPLOYEE_GET', collection: 'EMPLOYEE' },
};

/** Field values as PeopleSoft hands them out: strings, numbers, or a child scroll (rows of the same shape). */
export type FieldValue = string | number | Row[];
export type Row = { [field: string]: FieldValue };

export function isTableName(value: string): value is TableName {
  return (tableNames as readonly string[]).includes(value);
}
