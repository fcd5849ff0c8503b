import { FLOW_REQUISITIONS, FLOW_TASK_FALLBACK, FLOW_VOUCHERS, FLOW_WEBHOOK_HOUSEKEEPING, PAIR } from '../../../core/pairs/peoplesoft-asana';
import { type FlowFactory, type FlowRegistry, type InboxFactory } from '../types';
import { requisitionFlow, voucherFlow } from './document-flows';
import { peopleSoftAsanaInbox } from './inbox';
import { taskFallbackFlow } from './task-fallback-flow';
import { webhookHousekeepingFlow, type HousekeepingDeps } from './webhook-housekeeping';

export { ensureAsanaWebhook, webhookTarget, TASK_WEBHOOK_FILTERS, type WebhookCheck } from './webhook-housekeeping';
export { pairContext } from './context';

/** The pair's flows that need nothing but the connection: registered in defaultFlowRegistry. */
export const peopleSoftAsanaFlows: Record<string, FlowFactory> = {
  [FLOW_VOUCHERS]: voucherFlow,
  [FLOW_REQUISITIONS]: requisitionFlow,
  [FLOW_TASK_FALLBACK]: taskFallbackFlow,
};
export const peopleSoftAsanaInboxes: Record<string, InboxFactory> = { [PAIR]: peopleSoftAsanaInbox };

/** Everything, including the webhook housekeeping flow, which needs the pool and cipher to keep registrations. */
export function peopleSoftAsanaRegistry(deps: HousekeepingDeps): FlowRegistry {
  return {
    flows: { ...peopleSoftAsanaFlows, [FLOW_WEBHOOK_HOUSEKEEPING]: webhookHousekeepingFlow(deps) },
    inbox: peopleSoftAsanaInboxes,
  };
}
