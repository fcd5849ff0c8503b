import { z } from 'zod';

/**
 * Procurify's raw payloads as we read them (procurify_openapi.yaml components). Money and quantities are decimal
 * strings in the spec (`format: decimal` with a pattern) and stay strings here; `.loose()` keeps fields Procurify
 * adds later from breaking a sync. Only what the pair reads is required.
 */
const decimal = z.string().regex(/^-?\d+(?:\.\d+)?$/, 'a decimal string');
const named = z.object({ id: z.number().int().optional(), name: z.string() }).loose();

/** `metadata.pagination` (e.g. PaginatedOrderReadList_metadata_pagination): `next`/`previous` are full URLs or null. */
export const paginationSchema = z
  .object({
    count: z.number().int(),
    next: z.string().nullable(),
    previous: z.string().nullable(),
    page_size: z.number().int(),
    num_pages: z.number().int(),
    current_page: z.number().int(),
  })
  .loose();

export const listEnvelope = <T extends z.ZodType>(item: T) =>
  z.object({ data: z.array(item), metadata: z.object({ pagination: paginationSchema }).loose() }).loose();
/** `{data, metadata}` single-object answers (…SerializerSingle…). */
export const singleEnvelope = <T extends z.ZodType>(item: T) => z.object({ data: item }).loose();

/** OrderRead: a requisition. `num` is its number, `status` an OrderStatusEnum integer. */
export const rawOrderSchema = z
  .object({
    num: z.number().int(),
    uuid: z.string(),
    status: z.number().int(),
    department: named,
    branch: named,
    user: z.object({ email: z.string(), firstName: z.string().optional(), lastName: z.string().optional() }).loose(),
    currency: z.object({ name: z.string() }).loose().optional(),
    dateRequired: z.string(),
    dateModified: z.string().optional(),
    date: z.string().optional(),
    totalPrice: decimal.nullable().optional(),
    /** How many items the requisition has (readOnly in OrderRead): tells whether a read of changed items saw them all. */
    item_count: z.number().int().optional(),
  })
  .loose();
export type RawOrder = z.infer<typeof rawOrderSchema>;

/** OrderItem: one requested line. `orderNum` is its order's `num`, `pref_vendor` a vendor id, `account` an account id. */
export const rawOrderItemSchema = z
  .object({
    id: z.number().int(),
    num: z.string(),
    orderNum: z.number().int().nullable(),
    name: z.string(),
    sku: z.string().optional(),
    unit: z.string(),
    quantity: decimal,
    price: decimal,
    approved_quantity: decimal.nullable().optional(),
    approved_price: decimal.nullable().optional(),
    approved_datetime: z.string().nullable(),
    last_modified: z.string().optional(),
    currency: z.number().int(),
    pref_vendor: z.number().int(),
    vendor: z.string().nullable().optional(),
    account: z.number().int(),
    accountCode: z.string().optional(),
    status: z.number().int().optional(),
    active: z.boolean().optional(),
    /** The Procurify purchase orders the item was purchased on (OrderItem.PO: PO ids). */
    PO: z.array(z.number().int()).optional(),
  })
  .loose();
export type RawOrderItem = z.infer<typeof rawOrderItemSchema>;

/** OptimizedVendor: keys are mixed case as Procurify sends them (addressLineOne, postalCode, state_province, phoneOne). */
export const rawVendorSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    active: z.boolean().optional(),
    addressLineOne: z.string().nullable().optional(),
    addressLineTwo: z.string().nullable().optional(),
    postalCode: z.string().nullable().optional(),
    city: z.string().nullable().optional(),
    state_province: z.string().nullable().optional(),
    country: z.string().nullable().optional(),
    phoneOne: z.string().nullable().optional(),
    email: z.array(z.string()).optional(),
    external_id: z.string().nullable().optional(),
    dateModified: z.string().optional(),
    type: z.number().int(),
    payment_term_ref: z.object({ id: z.number().int().optional(), name: z.string() }).loose().nullable().optional(),
  })
  .loose();
export type RawVendor = z.infer<typeof rawVendorSchema>;

/** AccountCodeRead; account_type is an integer (0 ASSETS .. 5 OTHER). */
export const rawAccountCodeSchema = z
  .object({ id: z.number().int(), code: z.string(), description: z.string(), account_type: z.number().int().optional(), active: z.boolean().optional() })
  .loose();
export type RawAccountCode = z.infer<typeof rawAccountCodeSchema>;

/** DepartmentRead: `branch` is the department's location. */
export const rawDepartmentSchema = z
  .object({ id: z.number().int(), name: z.string(), branch: named, external_id: z.string().nullable().optional(), active: z.boolean().optional() })
  .loose();
export type RawDepartment = z.infer<typeof rawDepartmentSchema>;

/** LocationView. */
export const rawLocationSchema = z
  .object({ id: z.number().int(), name: z.string(), external_id: z.string().nullable().optional(), active: z.boolean().optional() })
  .loose();
export type RawLocation = z.infer<typeof rawLocationSchema>;

/** PurchaseOrderDocs (list) / PurchaseOrderReadDocs (close): `number` is the PO number Procurify shows. */
export const rawPurchaseOrderSchema = z
  .object({
    id: z.number().int().optional(),
    /** The Procurify PO id used in /api/v3/purchase-orders/{procurify_PO} paths. */
    procurify_PO: z.number().int().optional(),
    uuid: z.string(),
    number: z.string().optional(),
    state: z.number().int().optional(),
    pref_vendor: z.object({ name: z.string(), id: z.number().int().optional() }).loose(),
    total: decimal,
    last_modified: z.string().optional(),
  })
  .loose();
export type RawPurchaseOrder = z.infer<typeof rawPurchaseOrderSchema>;
