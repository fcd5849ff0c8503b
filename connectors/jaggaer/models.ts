import { getPath } from './field-paths';
import type { JaggaerProvider } from './provider-schema';
import { FieldProblem, readFields, type FieldRule } from './read-fields';

/** Our view of JAGGAER documents: flat, strings only (ids exact, money decimal text, dates ISO-8601 UTC). */
export interface JaggaerLine {
  lineNumber: string;
  description?: string;
  quantity: string;
  unitPrice: string;
  uom?: string;
  /** The account code the line is charged to (a JAGGAER account code; ours are PeopleSoft ACCOUNT values). */
  accountCode?: string;
}
export interface JaggaerRequisition {
  id: string;
  number?: string;
  externalRef?: string;
  businessUnit?: string;
  requester?: string;
  description?: string;
  status?: string;
  currency?: string;
  total?: string;
  supplierNumber?: string;
  needByDate?: string;
  lastModified: string;
  lines: JaggaerLine[];
}
export interface JaggaerPurchaseOrder {
  id: string;
  number: string;
  status: string;
  requisitionNumber?: string;
  supplierNumber: string;
  supplierName?: string;
  businessUnit?: string;
  currency?: string;
  total?: string;
  orderDate?: string;
  lastModified: string;
  lines: JaggaerLine[];
}
export interface JaggaerInvoice {
  id: string;
  number: string;
  supplierInvoiceNumber?: string;
  invoiceType?: string;
  /** "PO" or "Non-PO" (header.invoiceLineType): a PO invoice is matched to its purchase order. */
  lineType?: string;
  poNumber?: string;
  supplierNumber: string;
  businessUnit?: string;
  invoiceDate?: string;
  dueDate?: string;
  currency?: string;
  total: string;
  paymentStatus?: string;
  workflowStatus?: string;
  lastModified: string;
  /** Empty for a header-only invoice (voucher from the total). */
  lines: JaggaerLine[];
}
export interface JaggaerAccount {
  id: string;
  code: string;
  description?: string;
  status?: string;
  lastModified: string;
}
export interface JaggaerSupplier {
  id: string;
  supplierNumber?: string;
  name: string;
  duns?: string;
  taxId?: string;
  status?: string;
  lastModified: string;
}

const req = (kind: FieldRule['kind']): FieldRule => ({ kind, required: true });
const opt = (kind: FieldRule['kind']): FieldRule => ({ kind, required: false });

const lineRules = { lineNumber: req('id'), description: opt('text'), quantity: req('decimal'), unitPrice: req('decimal'), uom: opt('text'), accountCode: opt('text') };

function readLines(entity: string, doc: unknown, path: string, p: JaggaerProvider, hint: string): JaggaerLine[] {
  const raw = getPath(doc, path);
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new FieldProblem('lines', path, `JAGGAER ${entity} lines at ${path} are not a list: set ${hint}.fields.lines in the connection's provider config`);
  return raw.map((line) => strip(readFields(`${entity} line`, line, p.lineFields, lineRules, 'provider.lineFields')) as unknown as JaggaerLine);
}

/** Drops absent optional fields so models compare and hash the same whether JAGGAER sent null or nothing. */
function strip<T extends Record<string, string | undefined>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export function toRequisition(doc: unknown, p: JaggaerProvider): JaggaerRequisition {
  const r = p.resources.requisitions;
  const { lines: _lines, ...paths } = r.fields;
  const hint = 'provider.resources.requisitions';
  const rules = {
    id: req('id'), number: opt('text'), externalRef: opt('text'), businessUnit: opt('text'), requester: opt('text'), description: opt('text'),
    status: opt('text'), currency: opt('text'), total: opt('decimal'), supplierNumber: opt('text'), needByDate: opt('date'), lastModified: req('date'),
  };
  const flat = strip(readFields('requisition', doc, paths, rules, hint));
  return { ...(flat as Omit<JaggaerRequisition, 'lines'>), lines: readLines('requisition', doc, r.fields.lines, p, hint) };
}

export function toPurchaseOrder(doc: unknown, p: JaggaerProvider): JaggaerPurchaseOrder {
  const r = p.resources.purchaseOrders;
  const { lines: _lines, ...paths } = r.fields;
  const hint = 'provider.resources.purchaseOrders';
  const rules = {
    id: req('id'), number: req('text'), status: req('text'), requisitionNumber: opt('text'), supplierNumber: req('text'), supplierName: opt('text'),
    businessUnit: opt('text'), currency: opt('text'), total: opt('decimal'), orderDate: opt('date'), lastModified: req('date'),
  };
  const flat = strip(readFields('purchase order', doc, paths, rules, hint));
  return { ...(flat as Omit<JaggaerPurchaseOrder, 'lines'>), lines: readLines('purchase order', doc, r.fields.lines, p, hint) };
}

export function toInvoice(doc: unknown, p: JaggaerProvider): JaggaerInvoice {
  const { lines: linesPath, ...paths } = p.resources.invoices.fields;
  const hint = 'provider.resources.invoices';
  const rules = {
    id: req('id'), number: req('text'), supplierInvoiceNumber: opt('text'), invoiceType: opt('text'), lineType: opt('text'), poNumber: opt('text'),
    supplierNumber: req('text'), businessUnit: opt('text'), invoiceDate: opt('date'), dueDate: opt('date'), currency: opt('text'), total: req('decimal'),
    paymentStatus: opt('text'), workflowStatus: opt('text'), lastModified: req('date'),
  };
  const flat = strip(readFields('invoice', doc, paths, rules, hint));
  return { ...(flat as unknown as Omit<JaggaerInvoice, 'lines'>), lines: readLines('invoice', doc, linesPath, p, hint) };
}

export function toAccount(doc: unknown, p: JaggaerProvider): JaggaerAccount {
  const rules = { id: req('id'), code: req('text'), description: opt('text'), status: opt('text'), lastModified: req('date') };
  return strip(readFields('account code', doc, p.resources.accounts.fields, rules, 'provider.resources.accounts')) as unknown as JaggaerAccount;
}

export function toSupplier(doc: unknown, p: JaggaerProvider): JaggaerSupplier {
  const rules = { id: req('id'), supplierNumber: opt('text'), name: req('text'), duns: opt('text'), taxId: opt('text'), status: opt('text'), lastModified: req('date') };
  return strip(readFields('supplier', doc, p.resources.suppliers.fields, rules, 'provider.resources.suppliers')) as unknown as JaggaerSupplier;
}
