import { formatDecimal, parseDecimal, sumDecimals } from '../../core/decimal';
import { MappingError, type SourceRecord } from '../../activities/flows/types';
import type { PeopleSoftRow } from '../../connectors/peoplesoft';
import { recordKey, type DocumentKind, type LogicalField, type PeopleSoftJiraConfig } from './config';

/** What a flow writes to Jira for one document; hashed by the engine, so an unchanged document costs no write. */
export interface IssuePayload {
  kind: DocumentKind;
  issueType: string;
  summary: string;
  description: string;
  /** Logical field -> value (strings; the amount a decimal string, never a float); resolved to field ids on write. */
  fields: Partial<Record<LogicalField, string | null>>;
  dueDate: string | null;
  targetStatus: string;
  /** PeopleSoft approval comments, each with a stable id: posted once each. */
  comments: { id: string; text: string }[];
}

export type VendorRow = PeopleSoftRow<'vendor'>;

export type DocumentData =
  | { kind: 'purchaseOrder'; row: PeopleSoftRow<'purchaseOrder'>; vendor?: VendorRow }
  | { kind: 'requisition'; row: PeopleSoftRow<'requisition'>; vendor?: VendorRow }
  | { kind: 'voucher'; row: PeopleSoftRow<'voucher'>; vendor?: VendorRow }
  | { kind: 'invalid'; object: DocumentKind; issues: string; raw: unknown };

/** A PeopleSoft amount (decimal text from the connector) with two places, rounded half away from zero. */
function money(amount: string | undefined): string | null {
  return amount === undefined ? null : formatDecimal(amount, 2);
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/** Vendor master data shown on every issue: name, address and payment terms when the inquiry returns them. */
export function vendorDetails(vendor: VendorRow | undefined, vendorId: string | undefined): string {
  if (!vendor) return vendorId ? `Vendor ${vendorId}: not found in PeopleSoft's vendor inquiry` : 'No vendor on this document';
  const v = vendor as VendorRow & Record<string, unknown>;
  const address = ['ADDRESS1', 'ADDRESS2', 'CITY', 'STATE', 'POSTAL', 'COUNTRY'].map((k) => text(v[k])).filter(Boolean).join(', ');
  return [
    `${[v.NAME1, text(v.NAME2)].filter(Boolean).join(' ')} (${v.SETID}/${v.VENDOR_ID}, status ${v.VENDOR_STATUS})`,
    `Address: ${address || 'not provided by PeopleSoft'}`,
    `Payment terms: ${text(v.PYMNT_TERMS_CD) ?? 'not provided by PeopleSoft'}`,
  ].join('\n');
}

/**
 * Approval comments, when the customer's inquiry returns them as the child scroll `APPR_COMMENTS`
 * (`[{SEQ_NBR, OPRID, DTTM_STAMP, COMMENTS}]`, from the approval framework's comment records). Each id is the record
 * key plus the sequence number, stable across polls.
 */
function commentsOf(key: string, row: Record<string, unknown>): { id: string; text: string }[] {
  const list = Array.isArray(row.APPR_COMMENTS) ? (row.APPR_COMMENTS as Record<string, unknown>[]) : [];
  return list
    .filter((c) => text(c.COMMENTS) !== undefined)
    .map((c) => ({ id: `${key}#${String(c.SEQ_NBR ?? '')}`, text: `${text(c.OPRID) ?? 'PeopleSoft'}${text(c.DTTM_STAMP) ? ` (${String(c.DTTM_STAMP)})` : ''}: ${String(c.COMMENTS)}` }));
}

/** Pure: a PeopleSoft document (with its vendor) -> the Jira issue it is. Throws MappingError when it cannot be. */
export function mapDocument(config: PeopleSoftJiraConfig, record: SourceRecord): IssuePayload {
  const data = record.data as DocumentData;
  if (data.kind === 'invalid') throw new MappingError(`PeopleSoft sent a ${data.object} row that fails the schema: ${data.issues}`);
  const approval = (code: string) => {
    const t = config.statuses.approval[code];
    if (!t) throw new MappingError(`APPR_STATUS '${code}' has no Jira status in config.statuses.approval: add it`);
    return t;
  };
  const row = data.row as Record<string, unknown>;
  const base = { issueType: config.issueTypes[data.kind], comments: commentsOf(record.key, row) };
  if (data.kind === 'purchaseOrder') {
    const r = data.row;
    const t = config.statuses.purchaseOrder[r.PO_STATUS];
    if (!t) throw new MappingError(`PO_STATUS '${r.PO_STATUS}' has no Jira status in config.statuses.purchaseOrder: add it`);
    const vendorName = data.vendor?.NAME1 ?? r.VENDOR_ID;
    return {
      ...base,
      kind: 'purchaseOrder',
      summary: `PO ${r.BUSINESS_UNIT}/${r.PO_ID} — ${vendorName}`,
      description: `PeopleSoft purchase order ${r.PO_ID} (business unit ${r.BUSINESS_UNIT})${r.PO_DT ? ` of ${r.PO_DT.slice(0, 10)}` : ''}${r.REQ_ID ? `, from requisition ${r.REQ_ID}` : ''}. Synced from PeopleSoft: edit it there.`,
      fields: { externalKey: recordKey('purchaseOrder', r.BUSINESS_UNIT, r.PO_ID), number: r.PO_ID, vendorName, amount: money(sumLines(row)), currency: r.TXN_CURRENCY_CD ?? null, approvalStatus: t.approval, vendorDetails: vendorDetails(data.vendor, r.VENDOR_ID) },
      dueDate: null,
      targetStatus: t.status,
    };
  }
  if (data.kind === 'requisition') {
    const r = data.row;
    const t = approval(r.APPR_STATUS);
    return {
      ...base,
      kind: 'requisition',
      summary: `Requisition ${r.BUSINESS_UNIT}/${r.REQ_ID}${r.REQ_NAME ? ` — ${r.REQ_NAME}` : ''}`,
      description: `PeopleSoft requisition ${r.REQ_ID} (business unit ${r.BUSINESS_UNIT}) requested by ${r.REQUESTOR_ID}. Synced from PeopleSoft: edit it there.`,
      fields: { externalKey: recordKey('requisition', r.BUSINESS_UNIT, r.REQ_ID), number: r.REQ_ID, vendorName: data.vendor?.NAME1 ?? null, amount: money(r.MERCHANDISE_AMT), currency: r.TXN_CURRENCY_CD ?? null, approvalStatus: t.approval, vendorDetails: vendorDetails(data.vendor, undefined) },
      dueDate: null,
      targetStatus: t.status,
    };
  }
  const r = data.row;
  const t = approval(r.APPR_STATUS);
  const vendorName = data.vendor?.NAME1 ?? r.VENDOR_ID;
  return {
    ...base,
    kind: 'voucher',
    summary: `Invoice ${r.INVOICE_ID} — ${vendorName} (voucher ${r.BUSINESS_UNIT}/${r.VOUCHER_ID})`,
    description: `PeopleSoft voucher ${r.VOUCHER_ID} (business unit ${r.BUSINESS_UNIT}) for invoice ${r.INVOICE_ID} of ${r.INVOICE_DT.slice(0, 10)}. Synced from PeopleSoft: edit it there.`,
    fields: { externalKey: recordKey('voucher', r.BUSINESS_UNIT, r.VOUCHER_ID), number: r.INVOICE_ID, vendorName, amount: money(r.GROSS_AMT), currency: r.TXN_CURRENCY_CD ?? null, approvalStatus: t.approval, vendorDetails: vendorDetails(data.vendor, r.VENDOR_ID) },
    dueDate: r.DUE_DT ? r.DUE_DT.slice(0, 10) : null,
    targetStatus: t.status,
  };
}

/** PO_HDR has no total: the sum of the PO_LINE scroll's MERCHANDISE_AMT when the inquiry returns lines. */
function sumLines(row: Record<string, unknown>): string | undefined {
  const lines = Array.isArray(row.PO_LINE) ? (row.PO_LINE as Record<string, unknown>[]) : [];
  const amounts = lines.map((l) => parseDecimal(l.MERCHANDISE_AMT)).filter((a): a is string => a !== undefined);
  if (amounts.length === 0) return undefined;
  // Summed exactly as decimals: adding floats drifts (0.1 + 0.2).
  return sumDecimals(amounts);
}
