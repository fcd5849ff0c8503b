/**
 * The simulator's state for one Procurify tenant (one `<domain>.procurify.com`), in memory. Records keep what the
 * serializers need to answer in the spec's shapes; every change stamps the simulator clock so date filters work.
 */
export interface VendorRec {
  id: number;
  name: string;
  active: boolean;
  addressLineOne: string | null;
  addressLineTwo: string | null;
  postalCode: string | null;
  city: string | null;
  state_province: string | null;
  country: string | null;
  phoneOne: string | null;
  email: string[];
  external_id: string | null;
  type: number;
  overall_score: string | null;
  dateModified: string;
}

export interface AccountCodeRec {
  id: number;
  code: string;
  description: string;
  account_type: number;
  active: boolean;
}

export interface LocationRec {
  id: number;
  name: string;
  external_id: string | null;
  active: boolean;
}

export interface DepartmentRec {
  id: number;
  name: string;
  locationId: number;
  external_id: string | null;
  active: boolean;
}

/** An account: Procurify's account code x department budget line (GET /api/v3/accounts); order items point at one. */
export interface AccountRec {
  id: number;
  accountCodeId: number;
  departmentId: number;
}

export interface OrderRec {
  num: number;
  uuid: string;
  status: number;
  departmentId: number;
  requesterEmail: string;
  currency: string;
  date: string;
  dateRequired: string;
  dateModified: string;
}

export interface OrderItemRec {
  id: number;
  orderNum: number;
  name: string;
  sku: string;
  unit: string;
  quantity: string;
  price: string;
  vendorId: number;
  accountId: number;
  status: number;
  approved_datetime: string | null;
  created_at: string;
  last_modified: string;
  /** Procurify POs the item was purchased on (OrderItem.PO, an array of PO ids); absent until purchased. */
  poIds?: number[];
}

export interface PurchaseOrderRec {
  id: number;
  uuid: string;
  number: string;
  vendorId: number;
  state: number;
  total: string;
  date: string;
  last_modified: string;
  closed_date: string | null;
}

export interface OAuthClientRec {
  clientId: string;
  clientSecret: string;
  email: string;
}

export interface TokenRec {
  clientId: string;
  expiresAtMs: number;
}

export class ProcurifyStore {
  readonly vendors = new Map<number, VendorRec>();
  readonly accountCodes = new Map<number, AccountCodeRec>();
  readonly locations = new Map<number, LocationRec>();
  readonly departments = new Map<number, DepartmentRec>();
  readonly accounts = new Map<number, AccountRec>();
  readonly orders = new Map<number, OrderRec>();
  readonly orderItems = new Map<number, OrderItemRec>();
  readonly purchaseOrders = new Map<number, PurchaseOrderRec>();
  readonly clients = new Map<string, OAuthClientRec>();
  /** Keyed by a hash of the token (the token itself is never kept). */
  readonly tokens = new Map<string, TokenRec>();
  readonly tokenStats = { granted: 0, refused: 0 };
  private seq = 100;

  constructor(readonly domain: string) {}

  nextId(): number {
    this.seq += 1;
    return this.seq;
  }

  reset(): void {
    for (const m of [this.vendors, this.accountCodes, this.locations, this.departments, this.accounts, this.orders, this.orderItems, this.purchaseOrders]) m.clear();
  }
}
