import type { RateLimitPolicy } from '../http/rate-limiter';
import { providerOverrideSchema, providerSchema, type JaggaerProvider } from './provider-schema';

export const JAGGAER = 'jaggaer';

/**
 * The default JAGGAER One (J1P) description. What is known comes from customer code, not from a JAGGAER reference
 * (../shared/reference/partner-apis.md part 2 §4):
 * - token: Keycloak realm `J1p-integrations` (UCLALibrary/jaggaer-api jaggaer_api_client.py `_obtain_authentication_token`);
 * - invoices: `/j1p/api/public/ji/v1/invoices`, envelope `jiinvoiceList.jiinvoice[].header` with `invoiceId`,
 *   `invoiceLineType` ("PO"/"Non-PO"), `supplier.supplierNumber`, `total{currency,value}`, `lastUpdate`
 *   (UCLALibrary/jaggaer-api sample_data/invoice_list.json);
 * - suppliers: `/j1p/api/public/ja/v1/companyprofiles` (the J1P variant of JAGGAER Advanced's companyprofiles), the
 *   list in `returnCompanyData` (UCLA's TypeScript client), writes with `operationCode` CREATE/UPDATE
 *   (Network-Rail-Business-Systems/bravo-api src/Enums/OperationCode.php) answered `{returnCode, returnMessage, ...}`;
 * - `flt=KEY==value;KEY2>=value` filters and `start` paging from 1 (Crown-Commercial-Service/ccs-scale-cat-service
 *   application.yml; bravo-api `searchProjects`).
 * Requisition and purchase order paths and fields follow the same J1P pattern but are UNCONFIRMED: a customer whose
 * instance differs overrides them in the connection's `provider` setting, not in code. So are account codes (the
 * chart of accounts lines are coded to) and the account code on a line: JAGGAER publishes no account API at all.
 */
export const defaultJaggaerProvider: JaggaerProvider = providerSchema.parse({
  tokenPath: '/auth/realms/J1p-integrations/protocol/openid-connect/token',
  paging: { startParam: 'start', firstIndex: 1 },
  filter: { param: 'flt', separator: ';', dateFormat: 'iso' },
  // "backs off on 429 using Retry-After (default 15 s)" (an integrator's client, partner-apis.md part 2 §4).
  defaultRetryAfterSeconds: 15,
  // accountCode: UNCONFIRMED (no public J1P line shape names one); a customer's variant overrides the path.
  lineFields: { lineNumber: 'lineNumber', description: 'description', quantity: 'quantity', unitPrice: 'unitPrice.value', uom: 'unitOfMeasure', accountCode: 'accountCode' },
  resources: {
    requisitions: {
      path: '/j1p/api/public/jp/v1/requisitions',
      listPath: 'requisitionList.requisition',
      filterKeys: { modifiedSince: 'LASTMODTIME', externalRef: 'EXTERNALREF', status: 'STATUS', number: 'REQNUMBER', id: 'REQUISITIONID' },
      fields: {
        id: 'header.requisitionId',
        number: 'header.requisitionNumber',
        externalRef: 'header.externalReference',
        businessUnit: 'header.businessUnit',
        requester: 'header.requestedBy.username',
        description: 'header.requisitionName',
        status: 'header.status',
        currency: 'header.total.currency',
        total: 'header.total.value',
        supplierNumber: 'header.suggestedSupplier.supplierNumber',
        needByDate: 'header.needByDate',
        lastModified: 'header.lastUpdate',
        lines: 'lineList.line',
      },
      create: { bodyKey: 'requisition', idPath: 'requisitionId' },
      // Provisional like the path: the same POST with JAGGAER Advanced's operationCode UPDATE (bravo-api
      // src/Enums/OperationCode.php), the requisition named by its id; refused once sourcing has started.
      update: { bodyKey: 'requisition', operationCode: 'UPDATE', idPath: 'requisitionId' },
    },
    purchaseOrders: {
      path: '/j1p/api/public/jp/v1/purchaseorders',
      listPath: 'purchaseOrderList.purchaseOrder',
      filterKeys: { modifiedSince: 'LASTMODTIME', status: 'STATUS' },
      approvedStatus: 'Approved',
      fields: {
        id: 'header.purchaseOrderId',
        number: 'header.purchaseOrderNumber',
        status: 'header.status',
        requisitionNumber: 'header.requisitionNumber',
        supplierNumber: 'header.supplier.supplierNumber',
        supplierName: 'header.supplier.name',
        businessUnit: 'header.businessUnit',
        currency: 'header.total.currency',
        total: 'header.total.value',
        orderDate: 'header.orderDate',
        lastModified: 'header.lastUpdate',
        lines: 'lineList.line',
      },
    },
    invoices: {
      path: '/j1p/api/public/ji/v1/invoices',
      listPath: 'jiinvoiceList.jiinvoice',
      filterKeys: { modifiedSince: 'LASTMODTIME' },
      fields: {
        id: 'header.invoiceId',
        number: 'header.invoiceNumber',
        supplierInvoiceNumber: 'header.supplierInvoiceNumber',
        invoiceType: 'header.invoiceType',
        lineType: 'header.invoiceLineType',
        poNumber: 'header.purchaseOrderNumber',
        supplierNumber: 'header.supplier.supplierNumber',
        businessUnit: 'header.businessUnit',
        invoiceDate: 'header.invoiceDate',
        dueDate: 'header.dueDate',
        currency: 'header.total.currency',
        total: 'header.total.value',
        paymentStatus: 'header.paymentStatus',
        workflowStatus: 'header.workflowStatus',
        lastModified: 'header.lastUpdate',
        // UNCONFIRMED: UCLA's sample invoice list shows headers only; lines follow the PO's `lineList.line`.
        lines: 'lineList.line',
      },
    },
    suppliers: {
      path: '/j1p/api/public/ja/v1/companyprofiles',
      listPath: 'returnCompanyData',
      // BRAVOID==<id> as in ccs-scale-cat-service application.yml (`TYPE==SELLER;BRAVOID==...`).
      filterKeys: { modifiedSince: 'LASTMODTIME', externalRef: 'EXTCODE', id: 'BRAVOID' },
      fields: {
        id: 'companyInfo.bravoId',
        supplierNumber: 'companyInfo.extCode',
        name: 'companyInfo.companyName',
        duns: 'companyInfo.dunsNumber',
        taxId: 'companyInfo.fiscalCode',
        status: 'companyInfo.status',
        lastModified: 'companyInfo.lastModTime',
      },
      create: { bodyKey: 'companyInfo', operationCode: 'CREATE', idPath: 'bravoId' },
      update: { bodyKey: 'companyInfo', operationCode: 'UPDATE', idPath: 'bravoId' },
    },
    // UNCONFIRMED, all of it: JAGGAER publishes no account code API (partner-apis.md part 2 §4). Path, list key, fields,
    // filter keys and statuses follow the J1P pattern above and the companyprofiles writes (operationCode CREATE /
    // UPDATE, bravo-api src/Enums/OperationCode.php); a customer's instance overrides them in `provider.resources.accounts`.
    accounts: {
      path: '/j1p/api/public/jp/v1/accountcodes',
      listPath: 'accountCodeList.accountCode',
      filterKeys: { modifiedSince: 'LASTMODTIME', number: 'CODE', id: 'ACCOUNTCODEID' },
      fields: { id: 'accountCodeId', code: 'code', description: 'description', status: 'status', lastModified: 'lastUpdate' },
      create: { bodyKey: 'accountCode', operationCode: 'CREATE', idPath: 'accountCodeId' },
      update: { bodyKey: 'accountCode', operationCode: 'UPDATE', idPath: 'accountCodeId' },
      activeStatus: 'ACTIVE',
      inactiveStatus: 'INACTIVE',
    },
  },
});

/**
 * The description a connection uses: the defaults with its override merged in (objects merge key by key, other
 * values replace), then checked whole, so an override naming a field that does not exist is refused by name.
 */
export function resolveProvider(override: unknown = undefined): JaggaerProvider {
  if (override === undefined) return defaultJaggaerProvider;
  const parsed = providerOverrideSchema.safeParse(override);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = ['provider', ...(issue?.path ?? [])].join('.');
    throw new Error(`JAGGAER provider override: ${where}: ${issue?.message ?? 'invalid'}`);
  }
  const merged = providerSchema.safeParse(deepMerge(defaultJaggaerProvider, parsed.data));
  if (!merged.success) {
    const issue = merged.error.issues[0];
    throw new Error(`JAGGAER provider override: provider.${(issue?.path ?? []).join('.')}: ${issue?.message ?? 'invalid'}`);
  }
  return merged.data;
}

function deepMerge(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) out[key] = deepMerge(base[key], value);
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * JAGGAER documents no limit for eProcurement (only ASO's customer-specific 429s, partner-apis.md part 2 §4). We cap
 * concurrency per client id (4 reads, 4 writes) and a budget of 50 requests/s, and let 429 + Retry-After pause every
 * caller of the credential: the limit a customer's instance really has shows up as 429s, not as guesses here.
 */
export const jaggaerRateLimitPolicy: RateLimitPolicy = {
  maxConcurrentReads: 4,
  maxConcurrentWrites: 4,
  requestsPerWindow: 3000,
  windowMs: 60_000,
  defaultPauseMs: 15_000,
};
