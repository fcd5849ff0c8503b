import { multiplyAmounts, normalizeAmount } from './money';

/**
 * A purchase order in side-neutral form, the same from either system (the echo guard compares these): its number,
 * the PeopleSoft VENDOR_ID (a Procore vendor carries it in origin_id), and its line amounts, normalized decimal text.
 */
export interface CanonicalPo extends Record<string, unknown> {
  number: string;
  vendor: string;
  lines: string[];
}

export interface PsPoLine {
  LINE_NBR?: number | string;
  DESCR254?: string;
  QTY_PO: number | string;
  PRICE_PO: number | string;
  PROJECT_ID?: string;
  ACCOUNT?: string;
  DEPTID?: string;
}

export interface PsPoRow {
  BUSINESS_UNIT: string;
  PO_ID: string;
  PO_DT?: string;
  VENDOR_SETID?: string;
  VENDOR_ID: string;
  LASTUPDDTTM: string;
  PO_LINE?: PsPoLine[];
}

export function lineAmount(l: Pick<PsPoLine, 'QTY_PO' | 'PRICE_PO'>, what: string): string {
  return multiplyAmounts(l.QTY_PO, l.PRICE_PO, what);
}

/** A PeopleSoft PO (a row read back, or the CI payload we write): the same fields either way. */
export function canonicalOfPeopleSoftPo(po: { PO_ID: string; VENDOR_ID: string; PO_LINE?: PsPoLine[] }): CanonicalPo {
  return { number: po.PO_ID, vendor: po.VENDOR_ID, lines: (po.PO_LINE ?? []).map((l) => normalizeAmount(lineAmount(l, `PO ${po.PO_ID} line`))) };
}

/** The PeopleSoft VENDOR_ID a Procore vendor's origin_id names (`vendor:<SETID>/<VENDOR_ID>`), if it came from PeopleSoft. */
export function psVendorOfOrigin(originId: string | null | undefined): { setId: string; vendorId: string } | undefined {
  const m = /^vendor:([^/]+)\/(.+)$/.exec(originId ?? '');
  return m ? { setId: m[1]!, vendorId: m[2]! } : undefined;
}
