import { z } from 'zod';
import { PartnerError } from '../../core/partner-error';
import { type ComponentInterfaceName, ciOperation } from './component-interfaces';
import { getByKeys, type WriteResult } from './ci-write';
import { PARTNER } from './recognize-error';
import { type PeopleSoftSoapCaller } from './soap-client';

export const approvalInputSchema = z
  .object({
    businessUnit: z.string().min(1).max(5),
    /** VOUCHER_ID for vouchers, REQ_ID for requisitions. */
    documentId: z.string().min(1).max(10),
    /** APPR_STATUS: A approve, D deny (https://pt.dbtutor.com/fscm/ap_appr_hdr_vw.htm). */
    decision: z.enum(['A', 'D']),
    comment: z.string().max(254).optional(),
    /** Who decided in the other system, recorded in PeopleSoft for audit. */
    approver: z.string().max(30).optional(),
  })
  .strict();
export type ApprovalInput = z.input<typeof approvalInputSchema>;

/**
 * Sets APPR_STATUS through an approval CI. A Get first makes retries safe: if PeopleSoft already holds the
 * decision, nothing is written again (the Update itself is not idempotent in PeopleSoft's audit trail).
 */
export async function approveDocument(soap: PeopleSoftSoapCaller, ci: ComponentInterfaceName, idField: string, input: ApprovalInput): Promise<WriteResult> {
  const req = approvalInputSchema.parse(input);
  const keys = { BUSINESS_UNIT: req.businessUnit, [idField]: req.documentId };
  const current = await getByKeys(soap, ci, keys);
  if (!current) {
    throw new PartnerError(`PeopleSoft ${ci}: no ${idField} ${req.documentId} in business unit ${req.businessUnit}`, {
      partner: PARTNER,
      operation: ciOperation(ci, 'Get'),
      decision: { retry: false, reason: 'document does not exist' },
      code: 'PS_NO_ROWS',
      hint: `PeopleSoft has no ${idField} ${req.documentId} in ${req.businessUnit}; it may have been deleted or the mapping points at the wrong business unit.`,
    });
  }
  if (current.APPR_STATUS === req.decision) return { outcome: 'already_applied', keys };
  await soap.call(ci, 'Update', {
    ...keys,
    APPR_STATUS: req.decision,
    ...(req.comment !== undefined ? { MLC_APPR_COMMENTS: req.comment } : {}),
    ...(req.approver !== undefined ? { MLC_APPROVER_OPRID: req.approver } : {}),
  });
  return { outcome: 'updated', keys };
}
