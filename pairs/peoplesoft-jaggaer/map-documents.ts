import { canonicalDecimal, compareDecimals, multiplyDecimals, parseDecimal, sumDecimals } from '../../core/decimal';
import { MappingError } from '../../activities/flows/types';
import type { JaggaerInvoice, JaggaerPurchaseOrder, JaggaerSupplier, RequisitionInput, SupplierInput } from '../../connectors/jaggaer';
import type { PurchaseOrderInput, VendorInput, VoucherInput } from '../../connectors/peoplesoft';
import { psAccountOf } from './account-codes';
import type { PeopleSoftJaggaerConfig } from './config';

/**
 * Pure mappings between PeopleSoft rows and JAGGAER documents. What a record cannot become is a MappingError naming
 * the field and what to fix: the engine dead-letters it with that reason and the record's data, never drops it.
 * Identity across the two systems: a JAGGAER supplier's ERP number (`extCode`) is the PeopleSoft VENDOR_ID, a
 * JAGGAER PO number is the PeopleSoft PO_ID, and a requisition carries our PeopleSoft key as its external reference.
 */
export type UnreadableData = { kind: 'unreadable'; entity: string; problem: string; raw: unknown };

const decimal = (n: number | string): string => {
  const text = parseDecimal(n);
  if (text === undefined) throw new MappingError(`amount ${JSON.stringify(n)} is not a decimal number`);
  return text;
};
const ymd = (iso: string | undefined): string | undefined => iso?.slice(0, 10);

/** Decimal text that fits a PeopleSoft field's scale, else a MappingError naming both (never rounded in silence). */
function fits(value: string, places: number, what: string, field: string): string {
  const text = decimal(value);
  const decimals = text.includes('.') ? text.length - text.indexOf('.') - 1 : 0;
  if (decimals > places) throw new MappingError(`${what} ${text} has more decimals than PeopleSoft's ${field} (${places})`);
  return text;
}

/** JAGGAER line numbers are ids (text); PeopleSoft's LINE_NBR is a positive integer. */
function lineNumber(poNumber: string, text: string): number {
  if (!/^[1-9]\d{0,4}$/.test(text)) throw new MappingError(`JAGGAER PO ${poNumber} line number ${text} is not a PeopleSoft LINE_NBR (a whole number from 1 to 99999)`);
  return Number.parseInt(text, 10);
}

export function unreadable(data: UnreadableData): never {
  throw new MappingError(`${data.entity} could not be read: ${data.problem}`);
}

/**
 * VENDOR_STATUS <-> JAGGAER supplier status, one to one (codes per partner-apis.md part 2 §1.4), so a supplier read
 * back on the other side maps to exactly the values it came from and writes nothing new (no echo changes data).
 * A JAGGAER status not in the table (e.g. "ABILITATO" on Italian instances) leaves VENDOR_STATUS as it is.
 */
const STATUS_TO_JAGGAER: Record<string, string> = { A: 'ACTIVE', I: 'INACTIVE', D: 'DENIED', E: 'UNAPPROVED', X: 'ARCHIVED' };
const STATUS_FROM_JAGGAER = Object.fromEntries(Object.entries(STATUS_TO_JAGGAER).map(([ps, j]) => [j, ps]));

/** The VENDOR_STATUS a JAGGAER supplier status stands for; undefined for statuses outside the table. */
export const vendorStatusOf = (jaggaerStatus: string | undefined): string | undefined => (jaggaerStatus ? STATUS_FROM_JAGGAER[jaggaerStatus.toUpperCase()] : undefined);

/** PeopleSoft VENDOR -> JAGGAER supplier profile, numbered by VENDOR_ID. */
export function vendorToSupplier(row: { VENDOR_ID: string; NAME1: string; VENDOR_STATUS: string }): SupplierInput {
  return { supplierNumber: row.VENDOR_ID, name: row.NAME1, status: STATUS_TO_JAGGAER[row.VENDOR_STATUS] ?? row.VENDOR_STATUS };
}

/** JAGGAER supplier -> PeopleSoft VENDOR through the delivered VNDR_ID CI; the ERP number must fit VENDOR_ID (Char10). */
export function supplierToVendor(s: JaggaerSupplier, config: PeopleSoftJaggaerConfig): VendorInput {
  if (!s.supplierNumber) throw new MappingError(`JAGGAER supplier ${s.id} (${s.name}) has no ERP number (extCode): give it the PeopleSoft VENDOR_ID in JAGGAER, then replay`);
  if (s.supplierNumber.length > 10) throw new MappingError(`JAGGAER supplier ${s.id} ERP number ${s.supplierNumber} is longer than PeopleSoft's VENDOR_ID (10 characters)`);
  const status = vendorStatusOf(s.status);
  return { SETID: config.peoplesoft.vendorSetId, VENDOR_ID: s.supplierNumber, NAME1: s.name.slice(0, 40), ...(status ? { VENDOR_STATUS: status } : {}) };
}

/** PeopleSoft REQ_HDR -> JAGGAER requisition for sourcing; one line for the requisition's merchandise amount. */
export function requisitionToJaggaer(
  key: string,
  row: { BUSINESS_UNIT: string; REQ_ID: string; REQ_NAME?: string; REQUESTOR_ID?: string; TXN_CURRENCY_CD?: string; MERCHANDISE_AMT?: string; ACCOUNT?: string },
): RequisitionInput {
  if (row.MERCHANDISE_AMT === undefined) throw new MappingError(`requisition ${row.BUSINESS_UNIT}/${row.REQ_ID} has no MERCHANDISE_AMT: JAGGAER needs a price to source against`);
  const amount = decimal(row.MERCHANDISE_AMT);
  const description = row.REQ_NAME?.trim() || `PeopleSoft requisition ${row.BUSINESS_UNIT}/${row.REQ_ID}`;
  return {
    externalRef: key,
    businessUnit: row.BUSINESS_UNIT,
    requester: row.REQUESTOR_ID,
    description,
    currency: row.TXN_CURRENCY_CD,
    total: amount,
    // The line's ACCOUNT is its JAGGAER account code (the account flow created that code from PeopleSoft).
    lines: [{ lineNumber: 1, description: description.slice(0, 254), quantity: '1', unitPrice: amount, ...(row.ACCOUNT ? { accountCode: row.ACCOUNT } : {}) }],
  };
}

/** An approved JAGGAER PO -> PeopleSoft PO (PO Component Interface), linked to the PeopleSoft requisition it came from. */
export function purchaseOrderToPeopleSoft(po: JaggaerPurchaseOrder, psReqId: string | undefined, config: PeopleSoftJaggaerConfig): PurchaseOrderInput {
  if (po.number.length > 10) throw new MappingError(`JAGGAER PO number ${po.number} is longer than PeopleSoft's PO_ID (10 characters)`);
  if (po.supplierNumber.length > 10) throw new MappingError(`JAGGAER PO ${po.number} supplier ${po.supplierNumber} is longer than PeopleSoft's VENDOR_ID (10 characters)`);
  if (po.lines.length === 0) throw new MappingError(`JAGGAER PO ${po.number} has no lines: PeopleSoft needs at least one PO_LINE`);
  return {
    BUSINESS_UNIT: po.businessUnit ?? config.peoplesoft.defaultBusinessUnit,
    PO_ID: po.number,
    PO_DT: ymd(po.orderDate ?? po.lastModified)!,
    VENDOR_SETID: config.peoplesoft.vendorSetId,
    VENDOR_ID: po.supplierNumber,
    REQ_ID: psReqId,
    TXN_CURRENCY_CD: po.currency,
    // QTY_PO and PRICE_PO stay decimal text all the way to the CI (xsd:decimal on the wire).
    PO_LINE: po.lines.map((l) => ({
      LINE_NBR: lineNumber(po.number, l.lineNumber),
      DESCR254: l.description?.slice(0, 254),
      QTY_PO: fits(l.quantity, 4, `JAGGAER PO ${po.number} line ${l.lineNumber} quantity`, 'QTY_PO'),
      PRICE_PO: fits(l.unitPrice, 5, `JAGGAER PO ${po.number} line ${l.lineNumber} unitPrice`, 'PRICE_PO'),
      // The PO line distribution's ACCOUNT; the flow made the line wait until the code is a known PeopleSoft account.
      ...(l.accountCode ? { ACCOUNT: psAccountOf(config, l.accountCode) } : {}),
    })),
  };
}

/** JAGGAER's invoice id as a PeopleSoft VOUCHER_ID (Char8): `J` and the id, so a retried Create is a duplicate. */
export function voucherIdFor(invoiceId: string): string {
  const id = `J${invoiceId}`;
  if (id.length > 8) throw new MappingError(`JAGGAER invoice id ${invoiceId} does not fit PeopleSoft's VOUCHER_ID (8 characters) as J${invoiceId}`);
  return id;
}

/** A JAGGAER invoice -> PeopleSoft voucher; a PO invoice (invoiceLineType "PO") is matched to its PO on the line. */
export function invoiceToVoucher(inv: JaggaerInvoice, config: PeopleSoftJaggaerConfig): VoucherInput {
  const isPoInvoice = inv.lineType?.toUpperCase() === 'PO';
  if (isPoInvoice && !inv.poNumber) throw new MappingError(`JAGGAER invoice ${inv.number} is a PO invoice but names no purchase order`);
  const total = fits(inv.total, 3, `JAGGAER invoice ${inv.number} total`, 'GROSS_AMT');
  const businessUnit = inv.businessUnit ?? config.peoplesoft.defaultBusinessUnit;
  return {
    BUSINESS_UNIT: businessUnit,
    VOUCHER_ID: voucherIdFor(inv.id),
    INVOICE_ID: (inv.supplierInvoiceNumber ?? inv.number).slice(0, 30),
    INVOICE_DT: ymd(inv.invoiceDate ?? inv.lastModified)!,
    DUE_DT: ymd(inv.dueDate),
    VENDOR_SETID: config.peoplesoft.vendorSetId,
    VENDOR_ID: inv.supplierNumber,
    GROSS_AMT: total,
    TXN_CURRENCY_CD: inv.currency,
    VOUCHER_LINE: voucherLines(inv, total, config, isPoInvoice ? { BUSINESS_UNIT_PO: businessUnit, PO_ID: inv.poNumber } : {}),
  };
}

/**
 * A header-only invoice is one voucher line for its total (PeopleSoft distributes it by default). An invoice with
 * lines becomes one voucher line per invoice line, its amount quantity x unit price and its distribution ACCOUNT the
 * line's account code as PeopleSoft knows it; lines that do not add up to the total would unbalance the voucher.
 */
function voucherLines(inv: JaggaerInvoice, total: string, config: PeopleSoftJaggaerConfig, match: { BUSINESS_UNIT_PO?: string; PO_ID?: string }): VoucherInput['VOUCHER_LINE'] {
  if (inv.lines.length === 0) return [{ VOUCHER_LINE_NUM: 1, DESCR: `JAGGAER ${inv.number}`.slice(0, 30), MERCHANDISE_AMT: total, ...match }];
  const lines = inv.lines.map((l, i) => ({
    VOUCHER_LINE_NUM: i + 1,
    DESCR: (l.description ?? `JAGGAER ${inv.number} line ${l.lineNumber}`).slice(0, 30),
    MERCHANDISE_AMT: fits(canonicalDecimal(multiplyDecimals(decimal(l.quantity), decimal(l.unitPrice))), 3, `JAGGAER invoice ${inv.number} line ${l.lineNumber} amount`, 'MERCHANDISE_AMT'),
    ...match,
    ...(l.accountCode ? { ACCOUNT: psAccountOf(config, l.accountCode) } : {}),
  }));
  const sum = sumDecimals(lines.map((l) => l.MERCHANDISE_AMT));
  if (compareDecimals(sum, total) !== 0) throw new MappingError(`JAGGAER invoice ${inv.number} lines add up to ${sum}, not its total ${total}: the PeopleSoft voucher would be out of balance; correct the invoice in JAGGAER, then replay`);
  return lines;
}
