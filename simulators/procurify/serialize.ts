import { totalOf } from './decimal';
import type { AccountCodeRec, DepartmentRec, LocationRec, OrderItemRec, OrderRec, ProcurifyStore, PurchaseOrderRec, VendorRec } from './store';

/**
 * Records -> the spec's response shapes (procurify_openapi.yaml components), with every property the spec marks
 * required, so a contract test can validate each answer. Keys are spelled as Procurify spells them (mixed case).
 */
const BRANCH_SUMMARY = { name: 'Head Office' };

function user(email: string) {
  return { id: 1, user: 1, email, firstName: email.split('@')[0] ?? 'user', lastName: 'Requester', department: { name: 'Purchasing', branch: BRANCH_SUMMARY } };
}

export function serializeVendor(v: VendorRec) {
  return {
    id: v.id,
    name: v.name,
    active: v.active,
    addressLineOne: v.addressLineOne,
    addressLineTwo: v.addressLineTwo,
    postalCode: v.postalCode,
    city: v.city,
    state_province: v.state_province,
    country: v.country,
    phoneOne: v.phoneOne,
    phoneTwo: null,
    fax: null,
    email: v.email,
    comments: null,
    contact: null,
    url: null,
    external_id: v.external_id,
    dateModified: v.dateModified,
    currency: null,
    payment_term_ref: null,
    shipping_term_ref: null,
    payment_method_ref: null,
    shipping_method_ref: null,
    payment_methods: [],
    tax: null,
    type: v.type,
    default_payment_method: null,
    creditcards: [],
    is_1099_eligible: null,
    overall_score: v.overall_score,
    is_auto_email_po_enabled: false,
    po_pdf_labels: '',
  };
}

export function serializeAccountCode(a: AccountCodeRec) {
  return { id: a.id, code: a.code, description: a.description, code_length: a.code.length, account_type: a.account_type, active: a.active, parent: null, applied_accounts_count: 0 };
}

export function serializeLocation(l: LocationRec) {
  const address = { name: l.name, addressLineOne: '1 Main St', city: 'Vancouver', postalCode: 'V6B 1A1', country: 'Canada' };
  return {
    id: l.id,
    name: l.name,
    url: null,
    currency: { id: 1, name: 'USD', rate: '1.000000', base: true },
    phoneOne: '555-0100',
    fax: null,
    email: null,
    primary_billing_address: address,
    primary_shipping_address: address,
    shipping_addresses: [address],
    headquarter: l.id === 1,
    department_count: 0,
    active: l.active,
    external_id: l.external_id,
  };
}

export function serializeDepartment(store: ProcurifyStore, d: DepartmentRec) {
  const loc = store.locations.get(d.locationId);
  return { id: d.id, name: d.name, branch: { id: d.locationId, name: loc?.name ?? 'Unknown' }, external_id: d.external_id, active: d.active, punchout_email: null, is_active_for_account_code: true };
}

export function serializeOrder(store: ProcurifyStore, o: OrderRec) {
  const dept = store.departments.get(o.departmentId);
  const loc = dept ? store.locations.get(dept.locationId) : undefined;
  const items = [...store.orderItems.values()].filter((i) => i.orderNum === o.num);
  return {
    num: o.num,
    uuid: o.uuid,
    branch: { id: loc?.id ?? 1, name: loc?.name ?? 'Head Office', localCurrency: 1, phoneOne: '555-0100' },
    user: user(o.requesterEmail),
    department: { id: o.departmentId, name: dept?.name ?? 'Unknown', branch: { id: loc?.id ?? 1, name: loc?.name ?? 'Head Office' } },
    currency: { id: 1, name: o.currency, rate: '1.000000', base: true },
    logs: [],
    item_count: items.length,
    date: o.date,
    dateRequired: o.dateRequired,
    dateModified: o.dateModified,
    lineCount: items.length,
    purchasedCount: 0,
    // Two decimals: the spec's totalPrice pattern ^\d{0,14}(?:\.\d{0,2})?$.
    totalPrice: totalOf(items),
    status: o.status,
    next_approver: user('approver@example.com'),
    approval_delegatee: null,
    has_blanket_order_items: false,
  };
}

export function serializeOrderItem(store: ProcurifyStore, i: OrderItemRec) {
  const account = store.accounts.get(i.accountId);
  const code = account ? store.accountCodes.get(account.accountCodeId) : undefined;
  const vendor = store.vendors.get(i.vendorId);
  return {
    id: i.id,
    num: i.sku,
    orderNum: i.orderNum,
    name: i.name,
    sku: i.sku,
    unit: i.unit,
    quantity: i.quantity,
    price: i.price,
    approved_quantity: i.approved_datetime ? i.quantity : null,
    approved_price: i.approved_datetime ? i.price : null,
    approved_datetime: i.approved_datetime,
    created_at: i.created_at,
    last_modified: i.last_modified,
    updated_at: i.last_modified,
    currency: 1,
    pref_vendor: i.vendorId,
    vendor: vendor?.name ?? null,
    account: i.accountId,
    accountCode: code?.code ?? '',
    status: i.status,
    active: true,
    PO: i.poIds ?? [],
    purchase_order: i.poIds?.[0] ?? null,
  };
}

/**
 * `shape` follows the spec's two PO schemas: in the v2 list (PurchaseOrderDocs) `pref_vendor.overall_score` is a
 * number or null; in the v3 close/reopen answer (PurchaseOrderReadDocs) it is a non-nullable decimal string.
 */
export function serializePurchaseOrder(store: ProcurifyStore, p: PurchaseOrderRec, shape: 'list' | 'single' = 'list') {
  const vendor = store.vendors.get(p.vendorId);
  const address = { name: 'Head Office', addressLineOne: '1 Main St', city: 'Vancouver', postalCode: 'V6B 1A1', country: 'Canada' };
  return {
    id: p.id,
    procurify_PO: p.id,
    uuid: p.uuid,
    number: p.number,
    PO_Num: p.number,
    date: p.date,
    purchaser: user('buyer@example.com'),
    pref_vendor: { ...(vendor ? serializeVendor(vendor) : { name: 'Unknown', email: [], type: 3 }), overall_score: score(vendor?.overall_score ?? null, shape) },
    vendor_name: vendor?.name ?? null,
    buyer_address: address,
    buyer_name: 'Head Office',
    buyer_contact: 'Buyer',
    buyer_addressLineOne: address.addressLineOne,
    buyer_city: address.city,
    buyer_country: address.country,
    buyer_postalCode: address.postalCode,
    receiver_address: address,
    receiver_name: 'Head Office',
    receiver_contact: 'Receiver',
    receiver_addressLineOne: address.addressLineOne,
    receiver_city: address.city,
    receiver_country: address.country,
    receiver_postalCode: address.postalCode,
    contract: { id: 0, uuid: '00000000-0000-4000-8000-000000000000' },
    payment_terms: 'Net 30',
    shipping_terms: 'FOB',
    shipping_method: 'Ground',
    promise_date: p.date,
    purchased_currency: { id: 1, name: 'USD', rate: '1.000000', base: true },
    subtotal: p.total,
    total: p.total,
    total_amount: p.total,
    state: p.state,
    closed_date: p.closed_date,
    last_modified: p.last_modified,
  };
}

function score(value: string | null, shape: 'list' | 'single'): string | number | null {
  if (shape === 'single') return value ?? '0.000';
  return value === null ? null : Number(value);
}
