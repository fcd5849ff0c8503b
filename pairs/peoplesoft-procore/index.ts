import { type FlowDeclaration, type FlowWindow, type PairDefinition } from '../types';
import { checkPeopleSoftProcoreConnection } from './check-connection';
import {
  FLOW_CHANGE_ORDERS,
  FLOW_COST_CODES,
  FLOW_DIRECT_COSTS,
  FLOW_PROCORE_POS,
  FLOW_PROJECT_VOUCHERS,
  FLOW_PS_POS,
  FLOW_REQUISITIONS,
  FLOW_VENDORS,
  PAIR,
  PEOPLESOFT_WINS_BACK,
  PEOPLESOFT_WINS_OUT,
  WORKFLOW_TYPE,
  peopleSoftProcoreConfigSchema,
  peopleSoftProcoreCredentialsSchema,
  type PeopleSoftProcoreConfig,
} from './config';
import { costCodeFlow } from './cost-code-flow';
import { changeOrderFlow, directCostFlow } from './cost-flows';
import { connectDemo, demoSimulators } from './demo-world';
import { peopleSoftProcoreInbox } from './inbox';
import { procorePoFlow } from './procore-po-flow';
import { psPoFlow } from './ps-po-flow';
import { requisitionFlow } from './requisition-flow';
import { vendorFlow } from './vendor-flow';
import { projectVoucherFlow } from './voucher-cost-flow';
import { procoreWebhookHousekeeping } from './webhook-housekeeping';
import { procoreWebhookReceiver } from './webhook-receiver';

const DAY_MS = 86_400_000;
/** The demo runs under its own CustomerId: filter the Temporal UI with `CustomerId = "demo-procore"`. */
const DEMO_CUSTOMER_ID = 'demo-procore';

const peopleSoftWindow = (config: PeopleSoftProcoreConfig, createdAt: Date): FlowWindow => ({
  overlapMs: 5 * 60_000,
  maxWindowMs: config.peoplesoft.maxWindowMs ?? 7 * DAY_MS,
  initialFrom: config.initialFrom ?? new Date(createdAt.getTime() - 30 * DAY_MS).toISOString(),
});

/** Procore filters updated_at by ISO range and pages any size: long windows; the overlap covers clock skew. */
const procoreWindow = (config: PeopleSoftProcoreConfig, createdAt: Date): FlowWindow => ({
  overlapMs: 5 * 60_000,
  maxWindowMs: 400 * DAY_MS,
  initialFrom: config.initialFrom ?? new Date(createdAt.getTime() - 30 * DAY_MS).toISOString(),
});


/** Vendors and GL accounts (as cost codes) first; POs both ways after them (`dependsOn`); Procore costs to PeopleSoft journals. */
const flows: FlowDeclaration<PeopleSoftProcoreConfig>[] = [
  { name: FLOW_VENDORS, source: 'peoplesoft', target: 'procore', window: peopleSoftWindow, switch: { key: 'vendors', defaultOn: true }, previewable: true, factory: vendorFlow },
  { name: FLOW_COST_CODES, source: 'peoplesoft', target: 'procore', window: peopleSoftWindow, switch: { key: 'costCodes', defaultOn: true }, previewable: true, factory: costCodeFlow },
  { name: FLOW_PS_POS, source: 'peoplesoft', target: 'procore', window: peopleSoftWindow, switch: { key: 'purchaseOrders', defaultOn: true }, dependsOn: [FLOW_VENDORS, FLOW_COST_CODES], conflictRule: PEOPLESOFT_WINS_OUT, previewable: true, factory: psPoFlow },
  { name: FLOW_PROCORE_POS, source: 'procore', target: 'peoplesoft', window: procoreWindow, switch: { key: 'procorePurchaseOrders', defaultOn: true }, dependsOn: [FLOW_VENDORS], conflictRule: PEOPLESOFT_WINS_BACK, previewable: true, factory: procorePoFlow },
  { name: FLOW_DIRECT_COSTS, source: 'procore', target: 'peoplesoft', window: procoreWindow, switch: { key: 'directCosts', defaultOn: true }, previewable: true, factory: directCostFlow },
  // After the PO flow too: a voucher line on a PO that became a commitment is not a direct cost.
  { name: FLOW_PROJECT_VOUCHERS, source: 'peoplesoft', target: 'procore', window: peopleSoftWindow, switch: { key: 'projectVouchers', defaultOn: true }, dependsOn: [FLOW_VENDORS, FLOW_COST_CODES, FLOW_PS_POS], previewable: true, factory: projectVoucherFlow },
  { name: FLOW_CHANGE_ORDERS, source: 'procore', target: 'peoplesoft', window: procoreWindow, switch: { key: 'changeOrders', defaultOn: true }, previewable: true, factory: changeOrderFlow },
  // Requisitions are vouchered against the PO their commitment is linked to: after both PO flows.
  { name: FLOW_REQUISITIONS, source: 'procore', target: 'peoplesoft', window: procoreWindow, switch: { key: 'requisitions', defaultOn: true }, dependsOn: [FLOW_PS_POS, FLOW_PROCORE_POS], previewable: true, factory: requisitionFlow },
];

/** PeopleSoft <-> Procore: vendors out, purchase orders both ways, field costs and change orders to the GL. */
export const peopleSoftProcore: PairDefinition<PeopleSoftProcoreConfig> = {
  id: PAIR,
  workflowType: WORKFLOW_TYPE,
  description: 'PeopleSoft vendors -> Procore; POs both ways (commitments); Procore requisitions -> PeopleSoft vouchers on their PO; PeopleSoft project vouchers -> Procore direct costs; Procore direct costs and change orders -> PeopleSoft journal lines',
  configSchema: peopleSoftProcoreConfigSchema,
  credentials: peopleSoftProcoreCredentialsSchema.shape,
  flows,
  inbox: peopleSoftProcoreInbox,
  webhooks: [procoreWebhookReceiver],
  housekeeping: [procoreWebhookHousekeeping],
  check: checkPeopleSoftProcoreConnection,
  demo: { simulators: demoSimulators, customerId: DEMO_CUSTOMER_ID, connect: connectDemo },
};
