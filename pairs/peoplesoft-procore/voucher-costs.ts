import { z } from 'zod';
import { MappingError, type SourceRecord } from '../../activities/flows/types';
import { canonicalDecimal, compareDecimals, sumDecimals } from '../../core/decimal';
import { MAX_DIRECT_COST_LINES } from '../../connectors/procore';
import type { PeopleSoftProcoreConfig } from './config';
import { normalizeAmount } from './money';
import { negate } from './cost-corrections';

/**
 * A voucher row as our inquiry MLC_VOUCHER_SYNC_GET returns it, with its distribution lines (DISTRIB_LINE: ACCOUNT,
 * PROJECT_ID, MERCHANDISE_AMT, and the PO a line is matched to: https://pt.dbtutor.com/fscm/distrib_line.htm).
 */
const distribLineSchema = z.looseObject({
  VOUCHER_LINE_NUM: z.coerce.number().int().optional(),
  DISTRIB_LINE_NUM: z.coerce.number().int().optional(),
  ACCOUNT: z.string().min(1, 'ACCOUNT is empty'),
  PROJECT_ID: z.string().optional(),
  MERCHANDISE_AMT: z.union([z.string(), z.number()]),
  BUSINESS_UNIT_PO: z.string().optional(),
  PO_ID: z.string().optional(),
  DESCR: z.string().optional(),
});
export const projectVoucherRowSchema = z.looseObject({
  BUSINESS_UNIT: z.string(),
  VOUCHER_ID: z.string(),
  INVOICE_ID: z.string().optional(),
  INVOICE_DT: z.string().optional(),
  VENDOR_SETID: z.string().optional(),
  VENDOR_ID: z.string(),
  LASTUPDDTTM: z.string(),
  DISTRIB_LINE: z.array(distribLineSchema).default([]),
});
export type ProjectVoucherRow = z.output<typeof projectVoucherRowSchema>;
type DistribLine = z.output<typeof distribLineSchema>;

/** What the flow carries per voucher: the row and the Procore project its project lines are on. */
export interface VoucherData {
  voucher: ProjectVoucherRow;
  projectId: string;
  /** Lines of the voucher that are Procore costs of that project, in PeopleSoft's order. */
  lines: DistribLine[];
  /** Why the voucher cannot be posted (e.g. lines on two Procore projects): map dead-letters it with this reason. */
  problem?: string;
}

export interface VoucherCostLine {
  account: string;
  amount: string;
  description: string;
}
/** The direct cost(s) a voucher becomes: split into parts of at most 100 lines when written. */
export interface VoucherCostPayload {
  projectId: string;
  vendorId: string;
  date: string;
  invoiceNumber: string;
  description: string;
  lines: VoucherCostLine[];
}

/**
 * The voucher's lines that are Procore costs: a PROJECT_ID mapped to a configured Procore project, and not matched to
 * a PO that is a Procore commitment (that cost reaches Procore through the commitment's invoices, not as a direct cost).
 * Undefined when no line is a project cost (a corporate voucher: not this flow's record).
 */
export function voucherData(row: ProjectVoucherRow, config: PeopleSoftProcoreConfig, isCommitmentPo: (line: DistribLine) => boolean): VoucherData | undefined {
  const procoreProjectOf = new Map(Object.entries(config.projects).map(([procoreId, p]) => [p.projectId, procoreId]));
  const lines = row.DISTRIB_LINE.filter((l) => l.PROJECT_ID && procoreProjectOf.has(l.PROJECT_ID) && !isCommitmentPo(l));
  if (lines.length === 0) return undefined;
  const projects = [...new Set(lines.map((l) => procoreProjectOf.get(l.PROJECT_ID!)!))];
  const problem = projects.length > 1 ? `its lines are on ${projects.length} Procore projects (${lines.map((l) => l.PROJECT_ID).filter((p, i, a) => a.indexOf(p) === i).join(', ')}): split the voucher per project in PeopleSoft` : undefined;
  return { voucher: row, projectId: projects[0]!, lines, ...(problem ? { problem } : {}) };
}

export function mapVoucher(record: SourceRecord, vendorId: string | undefined): VoucherCostPayload {
  const d = record.data as VoucherData;
  const what = `PeopleSoft voucher ${record.key}`;
  if (d.problem) throw new MappingError(`${what}: ${d.problem}`);
  if (!vendorId) throw new MappingError(`${what}: vendor ${d.voucher.VENDOR_ID} has no Procore id`);
  const date = /^\d{4}-\d{2}-\d{2}/.test(d.voucher.INVOICE_DT ?? '') ? d.voucher.INVOICE_DT!.slice(0, 10) : d.voucher.LASTUPDDTTM.slice(0, 10);
  return {
    projectId: d.projectId,
    vendorId,
    date,
    invoiceNumber: d.voucher.INVOICE_ID ?? d.voucher.VOUCHER_ID,
    description: `PeopleSoft voucher ${d.voucher.BUSINESS_UNIT}/${d.voucher.VOUCHER_ID}`,
    lines: d.lines.map((l, i) => ({
      account: l.ACCOUNT,
      amount: normalizeAmount(l.MERCHANDISE_AMT, `${what} distribution line ${i + 1} MERCHANDISE_AMT`),
      description: (l.DESCR ?? `Voucher ${d.voucher.VOUCHER_ID} line ${l.VOUCHER_LINE_NUM ?? i + 1}`).slice(0, 255),
    })),
  };
}

/** Parts of at most 100 lines (Procore's limit per direct cost create), in order. */
export function chunkLines<T>(lines: readonly T[]): T[][] {
  const parts: T[][] = [];
  for (let i = 0; i < lines.length; i += MAX_DIRECT_COST_LINES) parts.push(lines.slice(i, i + MAX_DIRECT_COST_LINES));
  return parts;
}

/** Net amount per account. */
export function netOf(lines: readonly { account: string; amount: string }[]): Map<string, string> {
  const by = new Map<string, string[]>();
  for (const l of lines) by.set(l.account, [...(by.get(l.account) ?? []), l.amount]);
  return new Map([...by].map(([a, amts]) => [a, canonicalDecimal(sumDecimals(amts))]));
}

/** Adjusting lines (one per account whose net differs) that bring `posted` to `wanted`; empty when equal. */
export function adjustmentLines(posted: readonly VoucherCostLine[], wanted: readonly VoucherCostLine[], voucherLabel: string): VoucherCostLine[] {
  const p = netOf(posted);
  const w = netOf(wanted);
  const out: VoucherCostLine[] = [];
  for (const account of [...new Set([...p.keys(), ...w.keys()])].sort()) {
    const delta = canonicalDecimal(sumDecimals([w.get(account) ?? '0', negate(p.get(account) ?? '0')]));
    if (compareDecimals(delta, '0') !== 0) out.push({ account, amount: delta, description: `Adjustment of ${voucherLabel}`.slice(0, 255) });
  }
  return out;
}

/** Same lines (account and amount, in order): a part found in Procore is the part we would write now. */
export const sameLines = (a: readonly VoucherCostLine[], b: readonly VoucherCostLine[]) =>
  a.length === b.length && a.every((l, i) => l.account === b[i]!.account && compareDecimals(l.amount, b[i]!.amount) === 0);
