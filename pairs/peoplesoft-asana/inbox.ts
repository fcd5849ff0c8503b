import { type InboxFactory, type InboxRuntime } from '../../activities/flows/types';
import { type WriteResult } from '../../connectors/peoplesoft';
import { FLOW_TASK_FALLBACK } from './config';
import { pairContext, type PairContext } from './context';
import { reopenedError, taskVerdict, type Decision } from './decide-from-task';

const DIRECTION = 'asana->peoplesoft';

/** Writes one decision through the voucher or requisition approval CI; idempotent (the CI Get comes first). */
export function applyDecision(pair: PairContext, d: Decision): Promise<WriteResult> {
  const common = { businessUnit: d.businessUnit, decision: d.decision, comment: d.comment, ...(d.approver ? { approver: d.approver } : {}) };
  // SOAP CI calls over Integration Broker: https://docs.oracle.com/cd/G33040_01/pt862pbr1/eng/pt/tibr/concept_UnderstandingSOAP-CompliantServices-076a92.html
  return d.kind === 'voucher' ? pair.peoplesoft.approveVoucher({ ...common, voucherId: d.documentId }) : pair.peoplesoft.approveRequisition({ ...common, reqId: d.documentId });
}

/**
 * The return path of pair 'peoplesoft-asana': a task event -> a fresh read of the task -> a PeopleSoft approval.
 * Permanent failures (PeopleSoft refuses the decision, the task was reopened) are thrown as non-retryable
 * PartnerErrors so handleInboxEvents dead-letters them with the partner's answer.
 */
export const peopleSoftAsanaInbox: InboxFactory = (ctx): InboxRuntime => {
  const pair = pairContext(ctx);
  return {
    async handle(event) {
      // https://developers.asana.com/reference/gettask
      const task = await pair.asana.getTask(event.resourceId);
      const verdict = taskVerdict(pair.config, task);
      const base = { flow: FLOW_TASK_FALLBACK, direction: DIRECTION, targetId: task.gid };
      if (verdict.kind === 'ignore') return { ...base, outcome: 'ignored', recordKey: verdict.recordKey ?? `asana-task:${task.gid}` };
      if (verdict.kind === 'reopened') throw reopenedError(verdict.recordKey, task.gid);
      const result = await applyDecision(pair, verdict.decision);
      return { ...base, outcome: result.outcome === 'already_applied' ? 'already_applied' : 'applied', recordKey: verdict.decision.recordKey };
    },
  };
};
