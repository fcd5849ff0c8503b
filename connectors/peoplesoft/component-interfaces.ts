/**
 * The CI-based SOAP services the connector writes through. Naming is what the Provide Web Service wizard generates:
 * service `CI_<CI>`, operations `<service>_C` (Create), `_UP` (Update), `_G` (Get); SOAPAction `<operation>.v1`:
 * https://docs.oracle.com/en/applications/peoplesoft/peopletools/8.63/integration-broker/naming-conventions-integration-metadata-created.html
 * VNDR_ID is delivered (Vendor EIP: https://docs.oracle.com/cd/E13228_01/fscm9pbr0/eng/psbooks/fspr/htm/fspr05.htm);
 * MLC_* are custom CIs shipped in our PeopleSoft project for the customer's administrator to import.
 */
export const componentInterfaces = {
  voucherApproval: 'MLC_VCHR_APPR',
  requisitionApproval: 'MLC_REQ_APPR',
  purchaseOrder: 'MLC_PO_EXPRESS',
  journal: 'MLC_JOURNAL_LN',
  vendor: 'VNDR_ID',
  voucher: 'MLC_VCHR_EXPRESS',
} as const;
export type ComponentInterfaceName = (typeof componentInterfaces)[keyof typeof componentInterfaces];
export type CiMethod = 'Create' | 'Update' | 'Get';

const suffix: Record<CiMethod, string> = { Create: 'C', Update: 'UP', Get: 'G' };
export const ciService = (ci: ComponentInterfaceName) => `CI_${ci}`;
export const ciOperation = (ci: ComponentInterfaceName, method: CiMethod) => `${ciService(ci)}_${suffix[method]}`;

/** Which methods each CI exposes, so testConnection knows what to probe. */
export const ciMethods: Record<ComponentInterfaceName, CiMethod[]> = {
  MLC_VCHR_APPR: ['Get', 'Update'],
  MLC_REQ_APPR: ['Get', 'Update'],
  MLC_PO_EXPRESS: ['Create', 'Get'],
  MLC_JOURNAL_LN: ['Create', 'Get'],
  VNDR_ID: ['Create', 'Update', 'Get'],
  MLC_VCHR_EXPRESS: ['Create', 'Get'],
};

/** Key fields of each CI's level 0; Get requests name them `KEYPROP_<field>`. */
export const ciKeys: Record<ComponentInterfaceName, readonly string[]> = {
  MLC_VCHR_APPR: ['BUSINESS_UNIT', 'VOUCHER_ID'],
  MLC_REQ_APPR: ['BUSINESS_UNIT', 'REQ_ID'],
  MLC_PO_EXPRESS: ['BUSINESS_UNIT', 'PO_ID'],
  MLC_JOURNAL_LN: ['BUSINESS_UNIT', 'JOURNAL_ID', 'JOURNAL_DATE'],
  VNDR_ID: ['SETID', 'VENDOR_ID'],
  MLC_VCHR_EXPRESS: ['BUSINESS_UNIT', 'VOUCHER_ID'],
};
