import { z } from 'zod';
import { JsonDecimal } from './decimal-json';
import { getPath, setPath } from './field-paths';
import type { JaggaerProvider } from './provider-schema';

/** Our write inputs, checked before anything is sent; built into JAGGAER documents through the provider's field table. */
const decimal = z.string().regex(/^-?\d+(\.\d+)?$/, 'a decimal amount as text, e.g. "1234.50"');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}/, 'an ISO date, e.g. 2026-12-01');

export const lineInputSchema = z
  .object({
    lineNumber: z.number().int().min(1),
    description: z.string().max(254).optional(),
    quantity: decimal,
    unitPrice: decimal,
    uom: z.string().max(10).optional(),
    /** The JAGGAER account code the line is charged to (our PeopleSoft ACCOUNT). */
    accountCode: z.string().min(1).optional(),
  })
  .strict();

export const requisitionInputSchema = z
  .object({
    /** Our key for the source record (e.g. PeopleSoft US001/0000012345): how a lost answer is found again. */
    externalRef: z.string().min(1, 'externalRef is our key for the source record'),
    businessUnit: z.string().min(1, 'businessUnit is required by JAGGAER requisitions'),
    requester: z.string().min(1).optional(),
    description: z.string().min(1).max(254),
    currency: z.string().length(3).optional(),
    total: decimal.optional(),
    supplierNumber: z.string().min(1).optional(),
    needByDate: isoDate.optional(),
    lines: z.array(lineInputSchema).min(1, 'a requisition needs at least one line'),
  })
  .strict();
export type RequisitionInput = z.input<typeof requisitionInputSchema>;

export const supplierInputSchema = z
  .object({
    /** The ERP (PeopleSoft VENDOR_ID) number JAGGAER keeps as the supplier's external code. */
    supplierNumber: z.string().min(1, 'supplierNumber is the PeopleSoft VENDOR_ID kept in JAGGAER'),
    name: z.string().min(1).max(100),
    duns: z.string().regex(/^\d{9}$/, 'duns is 9 digits').optional(),
    taxId: z.string().min(1).optional(),
    status: z.string().min(1).optional(),
  })
  .strict();
export type SupplierInput = z.input<typeof supplierInputSchema>;

export const accountInputSchema = z
  .object({
    /** The PeopleSoft ACCOUNT, kept as the JAGGAER account code: what documents coming back are coded with. */
    code: z.string().min(1, 'code is the PeopleSoft ACCOUNT kept as the JAGGAER account code'),
    description: z.string().min(1).max(254),
    /** false = deactivated in JAGGAER (inactive in PeopleSoft): never deleted, documents already coded keep it. */
    active: z.boolean(),
  })
  .strict();
export type AccountInput = z.input<typeof accountInputSchema>;

export function requisitionDocument(input: RequisitionInput, p: JaggaerProvider): Record<string, unknown> {
  const r = requisitionInputSchema.parse(input);
  const f = p.resources.requisitions.fields;
  const doc: Record<string, unknown> = {};
  setPath(doc, f.externalRef, r.externalRef);
  setPath(doc, f.businessUnit, r.businessUnit);
  setPath(doc, f.requester, r.requester);
  setPath(doc, f.description, r.description);
  setPath(doc, f.currency, r.currency);
  setPath(doc, f.total, r.total === undefined ? undefined : new JsonDecimal(r.total));
  setPath(doc, f.supplierNumber, r.supplierNumber);
  setPath(doc, f.needByDate, r.needByDate);
  setPath(
    doc,
    f.lines,
    r.lines.map((line) => {
      const out: Record<string, unknown> = {};
      setPath(out, p.lineFields.lineNumber, line.lineNumber);
      setPath(out, p.lineFields.description, line.description);
      setPath(out, p.lineFields.quantity, new JsonDecimal(line.quantity));
      setPath(out, p.lineFields.unitPrice, new JsonDecimal(line.unitPrice));
      setPath(out, p.lineFields.uom, line.uom);
      setPath(out, p.lineFields.accountCode, line.accountCode);
      return out;
    }),
  );
  return doc;
}

export function supplierDocument(input: SupplierInput, p: JaggaerProvider, id?: string): Record<string, unknown> {
  const s = supplierInputSchema.parse(input);
  const f = p.resources.suppliers.fields;
  const doc: Record<string, unknown> = {};
  setPath(doc, f.id, id);
  setPath(doc, f.supplierNumber, s.supplierNumber);
  setPath(doc, f.name, s.name);
  setPath(doc, f.duns, s.duns);
  setPath(doc, f.taxId, s.taxId);
  setPath(doc, f.status, s.status);
  return doc;
}

export function accountDocument(input: AccountInput, p: JaggaerProvider, id?: string): Record<string, unknown> {
  const a = accountInputSchema.parse(input);
  const r = p.resources.accounts;
  const doc: Record<string, unknown> = {};
  setPath(doc, r.fields.id, id);
  setPath(doc, r.fields.code, a.code);
  setPath(doc, r.fields.description, a.description);
  setPath(doc, r.fields.status, a.active ? r.activeStatus : r.inactiveStatus);
  return doc;
}

/**
 * The field table's paths start at the list item (`companyInfo.extCode`); a write sends that item under `bodyKey`
 * (`{ companyInfo: {...} }`), so a path whose first key is the body key is written below it, not twice.
 */
export function writeBody(doc: Record<string, unknown>, write: { bodyKey: string; operationCode?: string }): Record<string, unknown> {
  const inner = getPath(doc, write.bodyKey);
  const record = inner !== undefined && Object.keys(doc).length === 1 ? inner : doc;
  return { ...(write.operationCode ? { operationCode: write.operationCode } : {}), [write.bodyKey]: record };
}
