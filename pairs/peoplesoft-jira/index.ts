import { startJiraSimulator } from '../../simulators/jira';
import { startPeopleSoftSimulator } from '../../simulators/peoplesoft';
import type { FlowDeclaration, FlowWindow, PairDefinition } from '../types';
import { checkPeopleSoftJiraConnection } from './check-connection';
import { FLOW_BY_KIND, PAIR, WINDOW_OVERLAP_MS, firstSyncFrom, WORKFLOW_TYPE, peopleSoftJiraConfigSchema, peopleSoftJiraCredentialsSchema, type PeopleSoftJiraConfig } from './config';
import { connectDemo, DEMO_CUSTOMER } from './demo-world';
import { purchaseOrderFlow, requisitionFlow, voucherFlow } from './document-flows';
import { peopleSoftJiraInbox } from './inbox';
import { jiraTokenHousekeeping } from './token-housekeeping';
import { jiraWebhookHousekeeping } from './webhook-housekeeping';
import { jiraWebhookReceiver } from './webhook-receiver';

const DAY_MS = 86_400_000;

/**
 * PeopleSoft is polled on the customer's schedule (daily by default) in date-range windows: at most the window the
 * customer allows per activity (the connector splits further at the row cap), a small overlap for clock skew; natural
 * keys make the overlap safe. The first sync starts at `initialFrom`, by default 30 days before creation.
 */
const peopleSoftWindow = (config: PeopleSoftJiraConfig, createdAt: Date): FlowWindow => ({
  overlapMs: WINDOW_OVERLAP_MS,
  maxWindowMs: config.peoplesoft.maxWindowMs ?? 7 * DAY_MS,
  initialFrom: firstSyncFrom(config, createdAt),
});

/** Requisitions first, then the purchase orders sourced from them, then the vouchers that invoice those. */
const flows: FlowDeclaration<PeopleSoftJiraConfig>[] = [
  { name: FLOW_BY_KIND.requisition, source: 'peoplesoft', target: 'jira', window: peopleSoftWindow, switch: { key: 'requisitions', defaultOn: true }, previewable: true, factory: requisitionFlow },
  { name: FLOW_BY_KIND.purchaseOrder, source: 'peoplesoft', target: 'jira', window: peopleSoftWindow, switch: { key: 'purchaseOrders', defaultOn: true }, previewable: true, factory: purchaseOrderFlow },
  { name: FLOW_BY_KIND.voucher, source: 'peoplesoft', target: 'jira', window: peopleSoftWindow, switch: { key: 'vouchers', defaultOn: true }, previewable: true, factory: voucherFlow },
];

/** PeopleSoft -> Jira: purchase orders, requisitions and vouchers as Jira issues, status as transitions, comments once. */
export const peopleSoftJira: PairDefinition<PeopleSoftJiraConfig> = {
  id: PAIR,
  workflowType: WORKFLOW_TYPE,
  description: 'PeopleSoft purchase orders, requisitions and vouchers -> Jira issues (status as transitions, approval comments, hand edits restored)',
  configSchema: peopleSoftJiraConfigSchema,
  credentials: peopleSoftJiraCredentialsSchema.shape,
  flows,
  inbox: peopleSoftJiraInbox,
  webhooks: [jiraWebhookReceiver],
  housekeeping: [jiraWebhookHousekeeping, jiraTokenHousekeeping],
  check: checkPeopleSoftJiraConnection,
  demo: { customerId: DEMO_CUSTOMER, simulators: { peoplesoft: startPeopleSoftSimulator, jira: startJiraSimulator }, connect: connectDemo },
};
