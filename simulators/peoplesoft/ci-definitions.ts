import { type TableName } from './tables';

/**
 * The Component Interfaces the simulator exposes as CI-based SOAP services. Naming follows what the Provide Web
 * Service wizard generates: service `CI_<CI>`, operations `<service>_C` (Create), `_UP` (Update), `_G` (Get), body
 * roots `Create__CompIntfc__<CI>` etc. and `…Response`:
 * https://docs.oracle.com/en/applications/peoplesoft/peopletools/8.63/integration-broker/naming-conventions-integration-metadata-created.html
 * VNDR_ID is the delivered vendor CI the Vendor EIP uses (https://docs.oracle.com/cd/E13228_01/fscm9pbr0/eng/psbooks/fspr/htm/fspr05.htm);
 * the MLC_* CIs are the customer-built ones our connector asks an administrator to install.
 */
export type XsdType = 'string' | 'decimal' | 'integer' | 'date';
export interface CiField {
  name: string;
  type: XsdType;
}
export type CiMethod = 'Create' | 'Update' | 'Get';

export interface CiDef {
  ci: string;
  table: TableName;
  keys: CiField[];
  /** Level-0 properties a caller may set (Create/Update) and Get returns. */
  props: CiField[];
  /** Returned by Get, never settable through this CI. */
  readOnly: CiField[];
  /** Level-1 scroll (lines), nested as repeated elements. */
  child?: { name: string; fields: CiField[] };
  methods: CiMethod[];
  /** Property values the CI's PeopleCode accepts; anything else is rejected like a prompt-table edit. */
  allowed?: Record<string, string[]>;
  /** Prompt-table edits on Create: the value must be a key of a row in that table (level 0 or child rows). */
  prompts?: Record<string, { table: TableName; field: string }>;
}

const s = (name: string): CiField => ({ name, type: 'string' });
const d = (name: string): CiField => ({ name, type: 'decimal' });
const i = (name: string): CiField => ({ name, type: 'integer' });
const dt = (name: string): CiField => ({ name, type: 'date' });

const approval = { APPR_STATUS: ['P', 'A', 'D'] };

export const ciDefinitions: CiDef[] = [
  {
    ci: 'MLC_VCHR_APPR',
    table: 'voucher',
    keys: [s('BUSINESS_UNIT'), s('VOUCHER_ID')],
    props: [s('APPR_STATUS'), s('MLC_APPR_COMMENTS'), s('MLC_APPROVER_OPRID')],
    readOnly: [s('INVOICE_ID'), s('VENDOR_ID'), d('GROSS_AMT'), s('TXN_CURRENCY_CD'), s('LASTUPDDTTM')],
    methods: ['Get', 'Update'],
    allowed: approval,
  },
  {
    ci: 'MLC_REQ_APPR',
    table: 'requisition',
    keys: [s('BUSINESS_UNIT'), s('REQ_ID')],
    props: [s('APPR_STATUS'), s('MLC_APPR_COMMENTS'), s('MLC_APPROVER_OPRID')],
    readOnly: [s('REQ_NAME'), s('REQUESTOR_ID'), d('MERCHANDISE_AMT'), s('LASTUPDDTTM')],
    methods: ['Get', 'Update'],
    allowed: approval,
  },
  {
    ci: 'MLC_PO_EXPRESS',
    table: 'purchaseOrder',
    keys: [s('BUSINESS_UNIT'), s('PO_ID')],
    props: [dt('PO_DT'), s('VENDOR_SETID'), s('VENDOR_ID'), s('BUYER_ID'), s('REQ_ID'), s('TXN_CURRENCY_CD')],
    readOnly: [s('PO_STATUS'), s('LASTUPDDTTM')],
    // OPERATING_UNIT: a chartfield of PO_LINE_DISTRIB (Char8, "can be used to indicate a location"), https://docs.oracle.com/en/applications/peoplesoft/financials-and-supply-chain-management/9.2.056/application-fundamentals/delivered-chartfields.html
    child: { name: 'PO_LINE', fields: [i('LINE_NBR'), s('DESCR254'), d('QTY_PO'), d('PRICE_PO'), s('ACCOUNT'), s('DEPTID'), s('PROJECT_ID'), s('OPERATING_UNIT')] },
    methods: ['Create', 'Get'],
  },
  {
    ci: 'MLC_JOURNAL_LN',
    table: 'journalLine',
    keys: [s('BUSINESS_UNIT'), s('JOURNAL_ID'), dt('JOURNAL_DATE')],
    props: [s('LEDGER')],
    readOnly: [],
    child: {
      name: 'JRNL_LN',
      fields: [i('JOURNAL_LINE'), s('ACCOUNT'), s('DEPTID'), s('OPERATING_UNIT'), s('PROJECT_ID'), d('MONETARY_AMOUNT'), s('TXN_CURRENCY_CD'), s('LINE_DESCR')],
    },
    methods: ['Create', 'Get'],
  },
  {
    ci: 'VNDR_ID',
    table: 'vendor',
    keys: [s('SETID'), s('VENDOR_ID')],
    props: [s('NAME1'), s('NAME2'), s('VENDOR_STATUS'), s('VENDOR_CLASS')],
    readOnly: [s('LASTUPDDTTM')],
    methods: ['Create', 'Update', 'Get'],
    allowed: { VENDOR_STATUS: ['A', 'D', 'E', 'I', 'X'], VENDOR_CLASS: ['A', 'E', 'H', 'R'] },
  },
  {
    // Voucher entry from a procurement system: VOUCHER fields (partner-apis.md part 2 §1.4), lines matched to a PO.
    ci: 'MLC_VCHR_EXPRESS',
    table: 'voucher',
    keys: [s('BUSINESS_UNIT'), s('VOUCHER_ID')],
    props: [s('INVOICE_ID'), dt('INVOICE_DT'), dt('DUE_DT'), s('VENDOR_SETID'), s('VENDOR_ID'), d('GROSS_AMT'), s('TXN_CURRENCY_CD')],
    readOnly: [s('ENTRY_STATUS'), s('APPR_STATUS'), s('LASTUPDDTTM')],
    // ACCOUNT: the line's distribution account (VCHR_DIST_LINE, the Voucher Build staging table VCHR_DIST_STG, partner-apis.md §1.4).
    child: { name: 'VOUCHER_LINE', fields: [i('VOUCHER_LINE_NUM'), s('DESCR'), d('MERCHANDISE_AMT'), s('BUSINESS_UNIT_PO'), s('PO_ID'), s('ACCOUNT')] },
    methods: ['Create', 'Get'],
    prompts: { VENDOR_ID: { table: 'vendor', field: 'VENDOR_ID' }, PO_ID: { table: 'purchaseOrder', field: 'PO_ID' } },
  },
];

const suffix: Record<CiMethod, string> = { Create: 'C', Update: 'UP', Get: 'G' };
export const serviceName = (def: CiDef) => `CI_${def.ci}`;
export const operationName = (def: CiDef, method: CiMethod) => `${serviceName(def)}_${suffix[method]}`;
export const requestRoot = (def: CiDef, method: CiMethod) => `${method}__CompIntfc__${def.ci}`;
export const responseRoot = (def: CiDef, method: CiMethod) => `${requestRoot(def, method)}Response`;
/** Get requests name their keys KEYPROP_<field> (JAXB bindings of generated WSDLs, partner-apis.md §1.2). */
export const getKeyElement = (field: string) => `KEYPROP_${field}`;

/** Message names are `M` + six digits; a stable hash keeps the namespace identical across restarts. */
export function schemaNamespace(def: CiDef): string {
  let h = 7;
  for (const ch of def.ci) h = (h * 31 + ch.charCodeAt(0)) % 900_000;
  return `http://xmlns.oracle.com/Enterprise/Tools/schemas/M${100_000 + h}.V1`;
}

export interface CiOperation {
  def: CiDef;
  method: CiMethod;
  operation: string;
}

export const ciOperations: CiOperation[] = ciDefinitions.flatMap((def) => def.methods.map((method) => ({ def, method, operation: operationName(def, method) })));

export function findCiService(service: string): CiDef | undefined {
  return ciDefinitions.find((def) => serviceName(def).toUpperCase() === service.toUpperCase());
}
