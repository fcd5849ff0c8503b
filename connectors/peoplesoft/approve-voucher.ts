import { approveDocument, type ApprovalInput } from './approve-document';
import { type WriteResult } from './ci-write';
import { componentInterfaces } from './component-interfaces';
import { type PeopleSoftSoapCaller } from './soap-client';

export type VoucherApprovalInput = Omit<ApprovalInput, 'documentId'> & { voucherId: string };

/** Approve or deny an AP voucher (APPR_STATUS) through CI_MLC_VCHR_APPR_UP. */
export function approveVoucher(soap: PeopleSoftSoapCaller, input: VoucherApprovalInput): Promise<WriteResult> {
  const { voucherId, ...rest } = input;
  return approveDocument(soap, componentInterfaces.voucherApproval, 'VOUCHER_ID', { ...rest, documentId: voucherId });
}
