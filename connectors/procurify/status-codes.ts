/**
 * Procurify's integer status enums, named (procurify_openapi.yaml: the tables in the descriptions of
 * GET /api/v2/global/orders, GET /api/v3/order-items, GET /api/v2/purchase_orders/{id}, GET /api/v3/vendors;
 * schemas OrderStatusEnum, OrderItemStatusEnum, PurchaseOrderStateEnum, VendorTypeEnum).
 */
export const ORDER_STATUS = { PENDING: 0, APPROVED: 1, REJECTED: 2, PURCHASED: 3, CANCELLED: 4, RECEIVED: 5, DRAFT: 6 } as const;
export type OrderStatus = (typeof ORDER_STATUS)[keyof typeof ORDER_STATUS];

export const ORDER_ITEM_STATUS = {
  PURCHASE_PENDING: 0,
  PURCHASE_INUSE: 1,
  RECEIVE_PENDING: 2,
  RECEIVED: 3,
  REJECTED_FOR_PURCHASE: 4,
  RECEIVE_PARTIAL: 5,
  FULFILLED: 6,
  APPROVAL_DENIED: 7,
  REQUEST_DRAFT: 8,
} as const;

/** PO state codes; 2 is a legacy code the spec lists without a name. */
export const PO_STATE = { PURCHASED: 0, CANCELLED: 1, CLOSED: 3, PAID: 4, REOPENED: 5 } as const;

/**
 * Vendor types as GET /api/v3/vendors describes them (1 OTHER .. 6 CC_PROVIDER); VendorTypeEnum accepts only
 * 2, 3, 4, 6, 7 in payloads (7 is not described), so OTHER and EMPLOYEE are list filters only.
 */
export const VENDOR_TYPE = { OTHER: 1, HIDDEN: 2, PREFERRED: 3, REGULAR: 4, EMPLOYEE: 5, CC_PROVIDER: 6 } as const;

/** Values for `{role}` and `{status}` in GET /api/v2/purchase_orders/{role}/{status}. */
export const PO_ROLES = ['purchased', 'receivable'] as const;
export const PO_LIST_STATUSES = ['all', 'cancelled', 'closed', 'open', 'paid', 'partial'] as const;
