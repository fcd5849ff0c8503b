import { createHash } from 'node:crypto';
import { MappingError } from '../../activities/flows/types';
import type { VoucherInput } from '../../connectors/peoplesoft';
import type { ProcoreRequisitionWithLines } from '../../connectors/procore';
import { canonicalDecimal, compareDecimals, sumDecimals } from '../../core/decimal';
import { normalizeAmount, toPeopleSoftAmount } from './money';

/** Record key of a Procore requisition: `procore-requisition:<project id>/<id>` (apart from PeopleSoft's `requisition:`). */
export const requisitionKey = (projectId: string, id: string) => `procore-requisition:${projectId}/${id}`;
export function parseRequisitionKey(key: string): { projectId: string; id: string } {
  const m = /^procore-requisition:(\d+)\/(\d+)$/.exec(key);
  if (!m) throw new MappingError(`"${key}" is not a Procore requisition key (procore-requisition:<project id>/<id>)`);
  return { projectId: m[1]!, id: m[2]! };
}

/**
 * Only an approved pay application is an invoice to enter: draft, under review, revise-and-resubmit and pending-owner
 * ones are read again when their status changes (their updated_at moves), so nothing is lost by leaving them.
 */
export const VOUCHERABLE_STATUSES: ReadonlySet<string> = new Set(['approved', 'approved_as_noted']);

/**
 * VOUCHER_ID is Char8 and Procore ids are up to 20 digits: `R` and 7 base-36 characters of a SHA-256 of company,
 * project and requisition id. Fixed per requisition, so the poll, a webhook, a duplicate delivery or a retry after a
 * crash is a duplicate PeopleSoft recognises ("already applied"). A collision (about 1 in 10^10 per pair of
 * requisitions) is refused by PeopleSoft as different data under one key and lands in dead letters, never overwrites.
 */
export function voucherIdOf(companyId: string, projectId: string, requisitionId: string): string {
  const digest = BigInt(`0x${createHash('sha256').update(`${companyId}/${projectId}/${requisitionId}`).digest('hex').slice(0, 16)}`);
  return `R${(digest % 36n ** 7n).toString(36).toUpperCase().padStart(7, '0')}`;
}
/** INVOICE_ID (Char30): the requisition id itself, so PeopleSoft's duplicate-invoice check sees the same invoice. */
export const invoiceIdOf = (requisitionId: string) => `PCREQ-${requisitionId}`;

/** The voucher of a requisition before its PO is known (the PO and vendor come from the commitment's link). */
export interface RequisitionVoucher {
  projectId: string;
  commitmentId: string;
  requisitionId: string;
  VOUCHER_ID: string;
  INVOICE_ID: string;
  INVOICE_DT: string;
  GROSS_AMT: string;
  lines: { VOUCHER_LINE_NUM: number; DESCR: string; MERCHANDISE_AMT: string }[];
}

const ymd = (s: string | null | undefined) => (s && /^\d{4}-\d{2}-\d{2}/.test(s) ? s.slice(0, 10) : undefined);

/**
 * A requisition -> a voucher: one VOUCHER_LINE per detail line that bills something this period (work completed this
 * period + materials presently stored, exact decimals), GROSS_AMT their sum. Retainage is not deducted here: the
 * voucher carries what was billed, PeopleSoft's withholding handles retention.
 */
export function requisitionToVoucher(data: ProcoreRequisitionWithLines, projectId: string, companyId: string): RequisitionVoucher {
  const q = data.requisition;
  const what = `Procore requisition ${q.id} (#${q.number ?? '?'})`;
  const lines = data.lines.flatMap((l, i) => {
    const where = `${what} detail line ${l.item_number ?? i + 1}`;
    const billed = canonicalDecimal(sumDecimals([normalizeAmount(l.work_completed_this_period ?? '0', `${where} work_completed_this_period`), normalizeAmount(l.materials_presently_stored ?? '0', `${where} materials_presently_stored`)]));
    if (compareDecimals(billed, '0') === 0) return [];
    return [{ DESCR: (l.description_of_work ?? `Line ${l.item_number ?? i + 1}`).slice(0, 30), MERCHANDISE_AMT: toPeopleSoftAmount(billed, where) }];
  });
  if (lines.length === 0) throw new MappingError(`${what} bills nothing this period (every detail line's work completed this period and materials stored are zero): no voucher to enter`);
  const gross = canonicalDecimal(sumDecimals(lines.map((l) => l.MERCHANDISE_AMT)));
  return {
    projectId,
    commitmentId: q.commitment_id,
    requisitionId: q.id,
    VOUCHER_ID: voucherIdOf(companyId, projectId, q.id),
    INVOICE_ID: invoiceIdOf(q.id),
    INVOICE_DT: ymd(q.billing_date) ?? ymd(q.requisition_end) ?? q.updated_at.slice(0, 10),
    GROSS_AMT: toPeopleSoftAmount(gross, `${what} total`),
    lines: lines.map((l, i) => ({ VOUCHER_LINE_NUM: i + 1, ...l })),
  };
}

/** The PeopleSoft voucher once the PO (and through it the vendor) is known: every line matched to the PO. */
export function voucherFor(v: RequisitionVoucher, po: { businessUnit: string; poId: string; vendorSetId: string; vendorId: string }): VoucherInput {
  return {
    BUSINESS_UNIT: po.businessUnit,
    VOUCHER_ID: v.VOUCHER_ID,
    INVOICE_ID: v.INVOICE_ID,
    INVOICE_DT: v.INVOICE_DT,
    VENDOR_SETID: po.vendorSetId,
    VENDOR_ID: po.vendorId,
    GROSS_AMT: v.GROSS_AMT,
    TXN_CURRENCY_CD: 'USD',
    VOUCHER_LINE: v.lines.map((l) => ({ ...l, BUSINESS_UNIT_PO: po.businessUnit, PO_ID: po.poId })),
  };
}
