import { z } from 'zod';
import { getAt } from './resources';
import type { JaggaerStore, StoredDoc } from './store';

/** Documents as a JAGGAER user would create them in the UI; shapes as in resources.ts. */
const cents = (n: number) => Math.round(n * 100) / 100;
const pad = (n: number, width: number) => String(n).padStart(width, '0');

export const supplierSeedSchema = z
  .object({ companyName: z.string().min(1), extCode: z.string().min(1).optional(), dunsNumber: z.string().optional(), fiscalCode: z.string().optional(), status: z.string().default('ACTIVE') })
  .strict();

const lineSchema = z
  .object({ description: z.string().default('Item'), quantity: z.number().positive().default(1), unitPrice: z.number().min(0).default(10), uom: z.string().default('EA'), accountCode: z.string().min(1).optional() })
  .strict();

/** An account code keyed in JAGGAER's administration by hand (the pair normally creates them from PeopleSoft). */
export const accountSeedSchema = z.object({ code: z.string().min(1), description: z.string().min(1).default('Account'), status: z.enum(['ACTIVE', 'INACTIVE']).default('ACTIVE') }).strict();

export const purchaseOrderSeedSchema = z
  .object({
    supplierNumber: z.string().min(1),
    requisitionNumber: z.string().min(1).optional(),
    businessUnit: z.string().default('US001'),
    status: z.string().default('Approved'),
    currency: z.string().length(3).default('USD'),
    lines: z.array(lineSchema).min(1).default([{ description: 'Item', quantity: 1, unitPrice: 10, uom: 'EA' }]),
  })
  .strict();

export const invoiceSeedSchema = z
  .object({
    supplierNumber: z.string().min(1),
    purchaseOrderNumber: z.string().min(1).optional(),
    businessUnit: z.string().default('US001'),
    total: z.number().min(0).default(100),
    currency: z.string().length(3).default('USD'),
    supplierInvoiceNumber: z.string().optional(),
    /** Invoice lines (each with its account code); none = a header-only invoice. */
    lines: z.array(lineSchema).optional(),
  })
  .strict();

export const seedSchema = z
  .object({
    suppliers: z.number().int().min(0).max(10_000).default(0),
    requisitions: z.number().int().min(0).max(10_000).default(0),
    purchaseOrders: z.number().int().min(0).max(10_000).default(0),
    invoices: z.number().int().min(0).max(10_000).default(0),
    businessUnit: z.string().default('US001'),
  })
  .strict();
export type SeedRequest = z.input<typeof seedSchema>;
export interface SeedResult {
  supplierNumbers: string[];
  requisitionNumbers: string[];
  purchaseOrderNumbers: string[];
  invoiceIds: number[];
}

function lineList(lines: z.infer<typeof lineSchema>[], currency: string) {
  return {
    line: lines.map((l, i) => ({ lineNumber: i + 1, description: l.description, quantity: l.quantity, unitOfMeasure: l.uom, unitPrice: { currency, value: l.unitPrice }, accountCode: l.accountCode })),
  };
}

export function addSupplier(store: JaggaerStore, input: unknown): StoredDoc {
  const s = supplierSeedSchema.parse(input);
  const stored = store.insert('suppliers', { companyInfo: { type: 'SELLER', ...s } });
  const info = stored.doc.companyInfo as Record<string, unknown>;
  info.extCode ??= `JG${pad(stored.id, 8)}`;
  return stored;
}

export function addPurchaseOrder(store: JaggaerStore, input: unknown): StoredDoc {
  const po = purchaseOrderSeedSchema.parse(input);
  const supplier = store.findBy('suppliers', 'companyInfo.extCode', po.supplierNumber);
  const total = cents(po.lines.reduce((sum, l) => sum + l.quantity * l.unitPrice, 0));
  const stored = store.insert('purchaseOrders', {
    header: {
      status: po.status,
      requisitionNumber: po.requisitionNumber,
      supplier: { supplierNumber: po.supplierNumber, name: supplier ? getAt(supplier.doc, 'companyInfo.companyName') : undefined },
      businessUnit: po.businessUnit,
      orderDate: `${store.now().toISOString().slice(0, 10)}T00:00:00.000Z`,
      total: { currency: po.currency, value: total },
    },
    lineList: lineList(po.lines, po.currency),
  });
  (stored.doc.header as Record<string, unknown>).purchaseOrderNumber = `PO${stored.id}`;
  return stored;
}

export function addAccount(store: JaggaerStore, input: unknown): StoredDoc {
  const a = accountSeedSchema.parse(input);
  const existing = store.findBy('accounts', 'code', a.code);
  if (existing) throw new Error(`account code ${a.code} already exists (accountCodeId ${existing.id})`);
  return store.insert('accounts', { ...a });
}

/** Header fields as in UCLALibrary/jaggaer-api sample_data/invoice_list.json. */
export function addInvoice(store: JaggaerStore, input: unknown): StoredDoc {
  const inv = invoiceSeedSchema.parse(input);
  const supplier = store.findBy('suppliers', 'companyInfo.extCode', inv.supplierNumber);
  const stored = store.insert('invoices', {
    header: {
      validationStatus: 'Unneeded',
      paymentStatus: 'Payable',
      invoiceType: 'Invoice',
      invoiceLineType: inv.purchaseOrderNumber ? 'PO' : 'Non-PO',
      purchaseOrderNumber: inv.purchaseOrderNumber,
      invoiceSource: 'Manual',
      invoiceDate: '2026-11-02T00:00:00.000Z',
      dueDate: '2026-12-02T00:00:00.000Z',
      businessUnit: inv.businessUnit,
      supplier: { id: supplier?.id, name: supplier ? getAt(supplier.doc, 'companyInfo.companyName') : undefined, supplierNumber: inv.supplierNumber },
      supplierInvoiceNumber: inv.supplierInvoiceNumber,
      matchStatus: inv.purchaseOrderNumber ? 'Matched' : 'Do Not Match',
      workflowStatus: 'Completed',
      nonPOInvoice: inv.purchaseOrderNumber ? 'false' : 'true',
      total: { currency: inv.currency, value: inv.total },
    },
    ...(inv.lines ? { lineList: lineList(inv.lines, inv.currency) } : {}),
  });
  const header = stored.doc.header as Record<string, unknown>;
  header.invoiceNumber = `I${stored.id}`;
  header.supplierInvoiceNumber ??= `S-${stored.id}`;
  return stored;
}

/** N of each, linked: requisitions name suppliers, POs come from requisitions, invoices bill POs (every third Non-PO). */
export function seed(store: JaggaerStore, input: unknown): SeedResult {
  const req = seedSchema.parse(input ?? {});
  const suppliers = Array.from({ length: req.suppliers }, (_, i) =>
    addSupplier(store, { companyName: `Supplier ${i + 1} Industrial`, dunsNumber: pad(100_000_000 + i, 9), fiscalCode: `TAX${pad(i + 1, 6)}` }),
  );
  const supplierNumbers = suppliers.map((s) => String(getAt(s.doc, 'companyInfo.extCode')));
  const supplierFor = (i: number) => supplierNumbers[i % Math.max(1, supplierNumbers.length)] ?? 'JG00000000';
  const requisitionNumbers = Array.from({ length: req.requisitions }, (_, i) => {
    const qty = 1 + (i % 5);
    const price = cents(10 + (i % 97) * 1.25);
    const stored = store.insert('requisitions', {
      header: {
        businessUnit: req.businessUnit,
        requisitionName: `Sourcing request ${i + 1}`,
        requestedBy: { username: `buyer${(i % 3) + 1}` },
        status: 'Approved',
        total: { currency: 'USD', value: cents(qty * price) },
        suggestedSupplier: supplierNumbers.length ? { supplierNumber: supplierFor(i) } : undefined,
      },
      lineList: lineList([{ description: `Part ${i + 1}`, quantity: qty, unitPrice: price, uom: 'EA' }], 'USD'),
    });
    const number = `REQ${stored.id}`;
    (stored.doc.header as Record<string, unknown>).requisitionNumber = number;
    return number;
  });
  const purchaseOrderNumbers = Array.from({ length: req.purchaseOrders }, (_, i) => {
    const po = addPurchaseOrder(store, { supplierNumber: supplierFor(i), requisitionNumber: requisitionNumbers[i], businessUnit: req.businessUnit });
    return String(getAt(po.doc, 'header.purchaseOrderNumber'));
  });
  const invoiceIds = Array.from({ length: req.invoices }, (_, i) => {
    const poNumber = i % 3 === 2 ? undefined : purchaseOrderNumbers[i % Math.max(1, purchaseOrderNumbers.length)];
    return addInvoice(store, { supplierNumber: supplierFor(i), purchaseOrderNumber: poNumber, businessUnit: req.businessUnit, total: cents(50 + i * 1.1) }).id;
  });
  return { supplierNumbers, requisitionNumbers, purchaseOrderNumbers, invoiceIds };
}
