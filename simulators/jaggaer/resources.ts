/**
 * The JAGGAER One public API as this simulator serves it (../shared/reference/partner-apis.md part 2 §4). Invoices
 * and supplier profiles follow the shapes seen in customer code; requisitions and purchase orders follow the same J1P
 * pattern (module path, `<thing>List.<thing>[]` with a `header`) and are UNCONFIRMED, like the connector's defaults.
 * Account codes have no public JAGGAER API at all: this one is the connector's provisional default, served in the same
 * envelope with the same filters and operation codes as companyprofiles, so the client's paging, filters and
 * returnCode handling are exercised against it (UNCONFIRMED like the path).
 * The simulator keeps its own table instead of importing the connector's: it plays JAGGAER, not our client.
 */
export type SimResource = 'requisitions' | 'purchaseOrders' | 'invoices' | 'suppliers' | 'accounts';

export interface SimResourceShape {
  path: string;
  /** Where the list sits in the answer: `jiinvoiceList.jiinvoice` is `{ jiinvoiceList: { jiinvoice: [...] } }`. */
  listPath: string;
  idPath: string;
  lastModifiedPath: string;
  /** flt keys this resource accepts and the document paths they compare. */
  filters: Record<string, string>;
}

export const simResources: Record<SimResource, SimResourceShape> = {
  requisitions: {
    path: '/j1p/api/public/jp/v1/requisitions',
    listPath: 'requisitionList.requisition',
    idPath: 'header.requisitionId',
    lastModifiedPath: 'header.lastUpdate',
    filters: { REQUISITIONID: 'header.requisitionId', REQNUMBER: 'header.requisitionNumber', EXTERNALREF: 'header.externalReference', STATUS: 'header.status', BUSINESSUNIT: 'header.businessUnit' },
  },
  purchaseOrders: {
    path: '/j1p/api/public/jp/v1/purchaseorders',
    listPath: 'purchaseOrderList.purchaseOrder',
    idPath: 'header.purchaseOrderId',
    lastModifiedPath: 'header.lastUpdate',
    filters: { POID: 'header.purchaseOrderId', PONUMBER: 'header.purchaseOrderNumber', STATUS: 'header.status', REQNUMBER: 'header.requisitionNumber' },
  },
  invoices: {
    path: '/j1p/api/public/ji/v1/invoices',
    listPath: 'jiinvoiceList.jiinvoice',
    idPath: 'header.invoiceId',
    lastModifiedPath: 'header.lastUpdate',
    filters: { INVOICEID: 'header.invoiceId', INVOICENUMBER: 'header.invoiceNumber', PAYMENTSTATUS: 'header.paymentStatus', PONUMBER: 'header.purchaseOrderNumber' },
  },
  suppliers: {
    path: '/j1p/api/public/ja/v1/companyprofiles',
    listPath: 'returnCompanyData',
    idPath: 'companyInfo.bravoId',
    lastModifiedPath: 'companyInfo.lastModTime',
    filters: { BRAVOID: 'companyInfo.bravoId', EXTCODE: 'companyInfo.extCode', TYPE: 'companyInfo.type', STATUS: 'companyInfo.status' },
  },
  accounts: {
    path: '/j1p/api/public/jp/v1/accountcodes',
    listPath: 'accountCodeList.accountCode',
    idPath: 'accountCodeId',
    lastModifiedPath: 'lastUpdate',
    filters: { ACCOUNTCODEID: 'accountCodeId', CODE: 'code', STATUS: 'status' },
  },
};

export const simResourceNames = Object.keys(simResources) as SimResource[];

/** Every filter key also accepts LASTMODTIME, compared with the resource's last-modified time. */
export const LASTMODTIME = 'LASTMODTIME';

export function getAt(doc: unknown, path: string): unknown {
  let at: unknown = doc;
  for (const key of path.split('.')) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

export function setAt(doc: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let at = doc;
  for (const key of keys.slice(0, -1)) {
    if (typeof at[key] !== 'object' || at[key] === null) at[key] = {};
    at = at[key] as Record<string, unknown>;
  }
  at[keys[keys.length - 1]!] = value;
}
