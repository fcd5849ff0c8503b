export { createProcurifyConnector, type ProcurifyConnector } from './connector';
export { procurifyConfigSchema, procurifyAuthSchema, type ProcurifyConfig, type ProcurifyConfigInput, type ProcurifyAuth } from './config';
export { createProcurifyClient, type ProcurifyClient, type ProcurifyClientDeps } from './client';
export { PROCURIFY, procurifyRateLimitPolicy, procurifyBaseUrlFor, PROCURIFY_CLIENT_HEADER } from './provider';
export { ORDER_STATUS, ORDER_ITEM_STATUS, PO_STATE, VENDOR_TYPE } from './status-codes';
export type { RawOrder, RawOrderItem, RawAccountCode, RawDepartment, RawLocation, RawPurchaseOrder } from './schemas';
export type { ProcurifyVendor, VendorWrite } from './vendor-model';
export type { DateRange } from './date-range';
