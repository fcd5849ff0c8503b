import { approveRequisition, type RequisitionApprovalInput } from './approve-requisition';
import { approveVoucher, type VoucherApprovalInput } from './approve-voucher';
import { type WriteResult } from './ci-write';
import { createJournalLines, type JournalInput } from './create-journal-lines';
import { createPurchaseOrder, type PurchaseOrderInput } from './create-purchase-order';
import { createVoucher, type VoucherInput } from './create-voucher';
import { type PeopleSoftEndpointInput, peopleSoftEndpointSchema } from './endpoint';
import { type PartnerTelemetry } from '../http/telemetry';
import { type ChangedWindow, fetchChanged, type FetchChangedResult } from './fetch-changed';
import { type PeopleSoftObject, peopleSoftObjects } from './objects';
import { PARTNER } from './recognize-error';
import { createRestClient } from './rest-client';
import { createPeopleSoftCredentials, type PeopleSoftAuthInfo } from './access-tokens';
import { type OAuthTokenStore } from '../../core/oauth-token-store';
import { createSoapCaller, type SoapClientCache } from './soap-client';
import { type ConnectionCheck, testConnection, type TestConnectionOptions } from './test-connection';
import { upsertVendor, type VendorInput } from './upsert-vendor';

export { peopleSoftEndpointSchema, peopleSoftAuthSchema, peopleSoftConfigSideFields, redactEndpoint, type PeopleSoftEndpoint, type PeopleSoftEndpointInput } from './endpoint';
export { peopleSoftObjects, peopleSoftObjectNames, type PeopleSoftObject, type PeopleSoftRow } from './objects';
export { idFields, parseRecordKey, recordKey, rowRecordKey, type RecordKind } from './record-keys';
export { componentInterfaces, ciOperation, ciService } from './component-interfaces';
export { purchaseOrderInputSchema } from './create-purchase-order';
export { voucherInputSchema } from './create-voucher';
export { journalInputSchema } from './create-journal-lines';
export { vendorInputSchema } from './upsert-vendor';
export { approvalInputSchema } from './approve-document';
export { SoapClientCache, defaultSoapClientCache } from './soap-client';
export type { PeopleSoftAuthInfo } from './access-tokens';
export type { WriteResult, ChangedWindow, FetchChangedResult, ConnectionCheck, TestConnectionOptions, VoucherApprovalInput, RequisitionApprovalInput, PurchaseOrderInput, JournalInput, VendorInput, VoucherInput };

/**
 * Everything the sync engine's activities call on PeopleSoft. Reads go through REST inquiries, writes through
 * Component Interfaces over SOAP; every failure is a PartnerError with IB's meaning, a hint and a retry decision.
 */
export function createPeopleSoftConnector(
  endpointInput: PeopleSoftEndpointInput,
  deps: { soapClients?: SoapClientCache; telemetry?: PartnerTelemetry; tokenStore?: OAuthTokenStore; refreshMarginMs?: number } = {},
) {
  const endpoint = peopleSoftEndpointSchema.parse(endpointInput);
  const credentials = createPeopleSoftCredentials(endpoint.auth, { tokenStore: deps.tokenStore, telemetry: deps.telemetry, refreshMarginMs: deps.refreshMarginMs });
  const rest = createRestClient(endpoint, deps.telemetry, credentials);
  const soap = createSoapCaller(endpoint, deps.soapClients, deps.telemetry, credentials);
  return {
    fetchChanged: async <O extends PeopleSoftObject>(object: O, window: ChangedWindow): Promise<FetchChangedResult<O>> => {
      const result = await fetchChanged(rest, endpoint, object, window);
      // Every row was read, but the declared rowCap is wrong: counted for /metrics (connections test names the fix).
      if (result.gatewayRowCap !== undefined) deps.telemetry?.rowCapCutShort?.(PARTNER, peopleSoftObjects[object].operation);
      return result;
    },
    approveVoucher: (input: VoucherApprovalInput): Promise<WriteResult> => approveVoucher(soap, input),
    approveRequisition: (input: RequisitionApprovalInput): Promise<WriteResult> => approveRequisition(soap, input),
    createPurchaseOrder: (input: PurchaseOrderInput): Promise<WriteResult> => createPurchaseOrder(soap, input),
    createJournalLines: (input: JournalInput): Promise<WriteResult> => createJournalLines(soap, input),
    createVoucher: (input: VoucherInput): Promise<WriteResult> => createVoucher(soap, input),
    upsertVendor: (input: VendorInput): Promise<WriteResult> => upsertVendor(soap, input),
    testConnection: (options?: TestConnectionOptions): Promise<ConnectionCheck[]> => testConnection(rest, soap, endpoint, options, credentials),
    /** Which auth method the connection uses and, for an IdP token, when the current one expires (fetched if needed). */
    authInfo: (): Promise<PeopleSoftAuthInfo> => credentials.info(),
    /** CI calls the connector does not wrap (a Get by key, a read-back), on the connector's own credentials: one token for both. */
    soap,
  };
}
export type PeopleSoftConnector = ReturnType<typeof createPeopleSoftConnector>;
