import { z } from 'zod';

/**
 * The shape of a JAGGAER provider description: everything that differs between customers' JAGGAER variants (paths,
 * where the list sits in the envelope, field names, filter keys) is data of this shape, never code. JAGGAER publishes
 * no machine-readable spec for J1P (../shared/reference/partner-apis.md part 2 §4), so every default in provider.ts
 * is provisional and a connection can override any part of it (`providerOverrideSchema`).
 */

/** A dot path into a JSON document, e.g. `header.supplier.supplierNumber`. */
const dotPath = z.string().regex(/^[A-Za-z_$][\w$-]*(\.[A-Za-z_$][\w$-]*)*$/, 'a dot path such as header.invoiceId');
/** A JAGGAER filter key as used in `flt=KEY==value` (upper case by convention: LASTMODTIME, BRAVOID, TYPE). */
const filterKey = z.string().regex(/^[A-Za-z][\w.]*$/, 'a filter key such as LASTMODTIME');
const apiPath = z.string().regex(/^\/[\w\-./{}]*$/, 'an absolute path such as /j1p/api/public/ji/v1/invoices');

const lineFieldsSchema = z
  .object({ lineNumber: dotPath, description: dotPath, quantity: dotPath, unitPrice: dotPath, uom: dotPath, accountCode: dotPath })
  .strict();

export const requisitionFieldsSchema = z
  .object({
    id: dotPath,
    number: dotPath,
    externalRef: dotPath,
    businessUnit: dotPath,
    requester: dotPath,
    description: dotPath,
    status: dotPath,
    currency: dotPath,
    total: dotPath,
    supplierNumber: dotPath,
    needByDate: dotPath,
    lastModified: dotPath,
    lines: dotPath,
  })
  .strict();

export const purchaseOrderFieldsSchema = z
  .object({
    id: dotPath,
    number: dotPath,
    status: dotPath,
    requisitionNumber: dotPath,
    supplierNumber: dotPath,
    supplierName: dotPath,
    businessUnit: dotPath,
    currency: dotPath,
    total: dotPath,
    orderDate: dotPath,
    lastModified: dotPath,
    lines: dotPath,
  })
  .strict();

export const invoiceFieldsSchema = z
  .object({
    id: dotPath,
    number: dotPath,
    supplierInvoiceNumber: dotPath,
    invoiceType: dotPath,
    lineType: dotPath,
    poNumber: dotPath,
    supplierNumber: dotPath,
    businessUnit: dotPath,
    invoiceDate: dotPath,
    dueDate: dotPath,
    currency: dotPath,
    total: dotPath,
    paymentStatus: dotPath,
    workflowStatus: dotPath,
    lastModified: dotPath,
    /** Invoice lines, each read with `lineFields` (its account code included); absent = a header-only invoice. */
    lines: dotPath,
  })
  .strict();

export const supplierFieldsSchema = z
  .object({ id: dotPath, supplierNumber: dotPath, name: dotPath, duns: dotPath, taxId: dotPath, status: dotPath, lastModified: dotPath })
  .strict();

/** A JAGGAER account code (the chart of accounts requisition and invoice lines are coded to). */
export const accountFieldsSchema = z.object({ id: dotPath, code: dotPath, description: dotPath, status: dotPath, lastModified: dotPath }).strict();

const filterKeysSchema = z
  .object({ modifiedSince: filterKey, externalRef: filterKey.optional(), status: filterKey.optional(), number: filterKey.optional(), id: filterKey.optional() })
  .strict();

/** How a write is sent and where the created record's id comes back in the answer envelope. */
const writeSchema = z
  .object({
    /** The body is `{ [bodyKey]: record }`, plus `operationCode` when set (JAGGAER Advanced: CREATE, UPDATE, CREATEUPDATE). */
    bodyKey: z.string().min(1),
    operationCode: z.string().min(1).optional(),
    /** Where the new record's id is in the answer, e.g. `requisitionId`. */
    idPath: dotPath,
  })
  .strict();

function resourceSchema<F extends z.ZodObject>(fields: F) {
  return z
    .object({
      path: apiPath,
      /** Where the records sit in the list envelope, e.g. `jiinvoiceList.jiinvoice`. */
      listPath: dotPath,
      filterKeys: filterKeysSchema,
      fields,
    })
    .strict();
}

export const providerSchema = z
  .object({
    tokenPath: apiPath,
    /** `start` is 1-based (ccs-scale-cat-service application.yml; bravo-api searchProjects `startAt = 1`). */
    paging: z.object({ startParam: z.string().min(1), firstIndex: z.number().int().min(0) }).strict(),
    filter: z
      .object({
        param: z.string().min(1),
        separator: z.string().min(1),
        /** How a date is written in a LASTMODTIME filter: ISO-8601 UTC, or JAGGAER Advanced's yyyyMMddHHmmss. */
        dateFormat: z.enum(['iso', 'compact']),
      })
      .strict(),
    /** Seconds to wait after a 429 without Retry-After (an integrator's default; JAGGAER documents none). */
    defaultRetryAfterSeconds: z.number().int().min(1),
    lineFields: lineFieldsSchema,
    resources: z
      .object({
        requisitions: resourceSchema(requisitionFieldsSchema).extend({ create: writeSchema, update: writeSchema }),
        purchaseOrders: resourceSchema(purchaseOrderFieldsSchema).extend({ approvedStatus: z.string().min(1) }),
        invoices: resourceSchema(invoiceFieldsSchema),
        suppliers: resourceSchema(supplierFieldsSchema).extend({ create: writeSchema, update: writeSchema }),
        /** `activeStatus`/`inactiveStatus`: the status values an account code is written with. */
        accounts: resourceSchema(accountFieldsSchema).extend({ create: writeSchema, update: writeSchema, activeStatus: z.string().min(1), inactiveStatus: z.string().min(1) }),
      })
      .strict(),
  })
  .strict();
export type JaggaerProvider = z.infer<typeof providerSchema>;
export type ResourceName = keyof JaggaerProvider['resources'];

/**
 * What a connection's config may override: any subset of the description, checked against the full schema after
 * merging (`resolveProvider`), so a typo in a key is refused by name instead of silently ignored.
 */
const partialResource = (fields: z.ZodObject) =>
  z
    .object({
      path: apiPath.optional(),
      listPath: dotPath.optional(),
      filterKeys: filterKeysSchema.partial().optional(),
      fields: fields.partial().optional(),
      create: writeSchema.partial().optional(),
      update: writeSchema.partial().optional(),
      approvedStatus: z.string().min(1).optional(),
      activeStatus: z.string().min(1).optional(),
      inactiveStatus: z.string().min(1).optional(),
    })
    .strict();

export const providerOverrideSchema = z
  .object({
    tokenPath: apiPath.optional(),
    paging: providerSchema.shape.paging.partial().optional(),
    filter: providerSchema.shape.filter.partial().optional(),
    defaultRetryAfterSeconds: z.number().int().min(1).optional(),
    lineFields: lineFieldsSchema.partial().optional(),
    resources: z
      .object({
        requisitions: partialResource(requisitionFieldsSchema).optional(),
        purchaseOrders: partialResource(purchaseOrderFieldsSchema).optional(),
        invoices: partialResource(invoiceFieldsSchema).optional(),
        suppliers: partialResource(supplierFieldsSchema).optional(),
        accounts: partialResource(accountFieldsSchema).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type JaggaerProviderOverride = z.infer<typeof providerOverrideSchema>;
