import { startAsanaSimulator } from '../../simulators/asana';
import { startPeopleSoftSimulator } from '../../simulators/peoplesoft';
import { type FlowDeclaration, type FlowWindow, type PairDefinition } from '../types';
import { checkPeopleSoftAsanaConnection } from './check-connection';
import { FLOW_EMPLOYEES, FLOW_REQUISITIONS, FLOW_ROSTER_PROJECT, FLOW_TASK_FALLBACK, FLOW_VOUCHERS, PAIR, WORKFLOW_TYPE, peopleSoftAsanaConfigSchema, peopleSoftAsanaCredentialsSchema, type PeopleSoftAsanaConfig } from './config';
import { connectDemo } from './demo-world';
import { requisitionFlow, voucherFlow } from './document-flows';
import { peopleSoftAsanaInbox } from './inbox';
import { rosterFlow } from './roster-flow';
import { rosterProjectFlow } from './roster-project-flow';
import { rosterRematchHousekeeping } from './roster-housekeeping';
import { taskFallbackFlow } from './task-fallback-flow';
import { asanaTokenHousekeeping } from './token-housekeeping';
import { asanaWebhookHousekeeping } from './webhook-housekeeping';
import { asanaWebhookReceiver } from './webhook-receiver';

const DAY_MS = 86_400_000;

/**
 * PeopleSoft windows: one activity covers at most the window the customer allows (the connector splits it further at
 * the row cap); 7 days when unset keeps a first sync from asking Tuxedo for months at once. A small overlap absorbs
 * clock skew. The first sync starts at `initialFrom`, by default 30 days before the connection was created.
 */
const peopleSoftWindow = (config: PeopleSoftAsanaConfig, createdAt: Date): FlowWindow => ({
  overlapMs: 5 * 60_000,
  maxWindowMs: config.peoplesoft.maxWindowMs ?? 7 * DAY_MS,
  initialFrom: config.initialFrom ?? new Date(createdAt.getTime() - 30 * DAY_MS).toISOString(),
});

/** The Asana side only looks at recent changes: from creation on, in large windows (one window is one `modified_since` listing). */
const asanaWindow = (_config: PeopleSoftAsanaConfig, createdAt: Date): FlowWindow => ({ overlapMs: 10 * 60_000, maxWindowMs: 30 * DAY_MS, initialFrom: createdAt.toISOString() });

const rosterWindow = (_config: PeopleSoftAsanaConfig, createdAt: Date): FlowWindow => ({ overlapMs: 60_000, maxWindowMs: DAY_MS, initialFrom: new Date(createdAt.getTime() - DAY_MS).toISOString() });

const flows: FlowDeclaration<PeopleSoftAsanaConfig>[] = [
  // The roster first: documents never read past its watermark, so a new approver is in it before their documents.
  { name: FLOW_EMPLOYEES, source: 'peoplesoft', target: 'roster', window: peopleSoftWindow, switch: { key: 'roster', defaultOn: false }, previewable: false, factory: rosterFlow },
  // Our own table as the source: from a day before the connection existed, one activity per day of changes at most.
  { name: FLOW_ROSTER_PROJECT, source: 'roster', target: 'asana', window: rosterWindow, switch: { key: 'rosterProject', defaultOn: false }, dependsOn: [FLOW_EMPLOYEES], previewable: false, factory: rosterProjectFlow },
  { name: FLOW_VOUCHERS, source: 'peoplesoft', target: 'asana', window: peopleSoftWindow, switch: { key: 'vouchers', defaultOn: true }, dependsOn: [FLOW_EMPLOYEES], previewable: true, factory: voucherFlow },
  { name: FLOW_REQUISITIONS, source: 'peoplesoft', target: 'asana', window: peopleSoftWindow, switch: { key: 'requisitions', defaultOn: true }, dependsOn: [FLOW_EMPLOYEES], previewable: true, factory: requisitionFlow },
  // Asana delivers webhooks at most once: this re-reads recently modified tasks so a lost delivery is caught up.
  { name: FLOW_TASK_FALLBACK, source: 'asana', target: 'peoplesoft', window: asanaWindow, switch: { key: 'taskFallback', defaultOn: true }, previewable: true, factory: taskFallbackFlow },
];

/** PeopleSoft <-> Asana: vouchers and requisitions become Asana approval tasks; completed tasks become PeopleSoft approvals. */
export const peopleSoftAsana: PairDefinition<PeopleSoftAsanaConfig> = {
  id: PAIR,
  workflowType: WORKFLOW_TYPE,
  description: 'PeopleSoft vouchers and requisitions -> Asana approval tasks; completed tasks -> PeopleSoft approvals',
  configSchema: peopleSoftAsanaConfigSchema,
  credentials: peopleSoftAsanaCredentialsSchema.shape,
  flows,
  inbox: peopleSoftAsanaInbox,
  webhooks: [asanaWebhookReceiver],
  housekeeping: [asanaWebhookHousekeeping, asanaTokenHousekeeping, rosterRematchHousekeeping],
  check: checkPeopleSoftAsanaConnection,
  demo: { simulators: { peoplesoft: startPeopleSoftSimulator, asana: startAsanaSimulator }, connect: connectDemo },
};
