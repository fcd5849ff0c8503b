import { approveDocument, type ApprovalInput } from './approve-document';
import { type WriteResult } from './ci-write';
import { componentInterfaces } from './component-interfaces';
import { type PeopleSoftSoapCaller } from './soap-client';

export type RequisitionApprovalInput = Omit<ApprovalInput, 'documentId'> & { reqId: string };

/** Approve or deny a requisition (APPR_STATUS) through CI_MLC_REQ_APPR_UP. */
export function approveRequisition(soap: PeopleSoftSoapCaller, input: RequisitionApprovalInput): Promise<WriteResult> {
  const { reqId, ...rest } = input;
  return approveDocument(soap, componentInterfaces.requisitionApproval, 'REQ_ID', { ...rest, documentId: reqId });
}
