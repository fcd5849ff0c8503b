import { type ConflictRule, type FlowDeclaration, type FlowWindow, type PairDefinition } from '../types';
import { checkPeopleSoftJaggaerConnection } from './check-connection';
import {
  FLOW_GL_ACCOUNTS,
  FLOW_INVOICES,
  FLOW_JAGGAER_SUPPLIERS,
  FLOW_PS_VENDORS,
  FLOW_PURCHASE_ORDERS,
  FLOW_REQUISITIONS,
  PAIR,
  WORKFLOW_TYPE,
  peopleSoftJaggaerConfigSchema,
  peopleSoftJaggaerCredentialsSchema,
  type PeopleSoftJaggaerConfig,
} from './config';
import { connectDemo, demoSimulators } from './demo-world';
import { glAccountFlow } from './gl-account-flow';
import { invoiceFlow } from './invoice-flow';
import { purchaseOrderFlow } from './purchase-order-flow';
import { requisitionFlow } from './requisition-flow';
import { jaggaerSuppliersFlow, psVendorsFlow } from './supplier-flows';

const DAY_MS = 86_400_000;
/** The demo runs under its own CustomerId: filter the Temporal UI with `CustomerId = "demo-jaggaer"`. */
const DEMO_CUSTOMER_ID = 'demo-jaggaer';

/** PeopleSoft windows: bounded per activity (the connector splits further at the row cap); small overlap for skew. */
const peopleSoftWindow = (config: PeopleSoftJaggaerConfig, createdAt: Date): FlowWindow => ({
  overlapMs: 5 * 60_000,
  maxWindowMs: config.peoplesoft.maxWindowMs ?? 7 * DAY_MS,
  initialFrom: config.initialFrom ?? new Date(createdAt.getTime() - 30 * DAY_MS).toISOString(),
});

/** JAGGAER windows: `start` paging walks any size, so one window can be long; filter dates are whole seconds. */
const jaggaerWindow = (config: PeopleSoftJaggaerConfig, createdAt: Date): FlowWindow => ({
  overlapMs: 5 * 60_000,
  maxWindowMs: 30 * DAY_MS,
  initialFrom: config.initialFrom ?? new Date(createdAt.getTime() - 30 * DAY_MS).toISOString(),
});

const SUPPLIERS = [FLOW_PS_VENDORS, FLOW_JAGGAER_SUPPLIERS];
/** Suppliers and GL accounts: what every document references, mapped first. */
const MASTER_DATA = [...SUPPLIERS, FLOW_GL_ACCOUNTS];
/** The vendor master is the ERP's: when both sides changed a supplier since the last sync, PeopleSoft's values win. */
const PEOPLESOFT_WINS_OUT: ConflictRule = 'source-wins';
const PEOPLESOFT_WINS_BACK: ConflictRule = 'target-wins';

/**
 * Master data first: GL accounts (PeopleSoft -> JAGGAER only, so no echo) and suppliers (both ways, echo-guarded),
 * then documents, which never read past their watermarks (`dependsOn`).
 */
const flows: FlowDeclaration<PeopleSoftJaggaerConfig>[] = [
  { name: FLOW_GL_ACCOUNTS, source: 'peoplesoft', target: 'jaggaer', window: peopleSoftWindow, switch: { key: 'glAccounts', defaultOn: true }, previewable: true, factory: glAccountFlow },
  { name: FLOW_PS_VENDORS, source: 'peoplesoft', target: 'jaggaer', window: peopleSoftWindow, switch: { key: 'psVendors', defaultOn: true }, conflictRule: PEOPLESOFT_WINS_OUT, previewable: true, factory: psVendorsFlow },
  { name: FLOW_JAGGAER_SUPPLIERS, source: 'jaggaer', target: 'peoplesoft', window: jaggaerWindow, switch: { key: 'jaggaerSuppliers', defaultOn: true }, conflictRule: PEOPLESOFT_WINS_BACK, previewable: true, factory: jaggaerSuppliersFlow },
  { name: FLOW_REQUISITIONS, source: 'peoplesoft', target: 'jaggaer', window: peopleSoftWindow, switch: { key: 'requisitions', defaultOn: true }, dependsOn: MASTER_DATA, previewable: true, factory: requisitionFlow },
  { name: FLOW_PURCHASE_ORDERS, source: 'jaggaer', target: 'peoplesoft', window: jaggaerWindow, switch: { key: 'purchaseOrders', defaultOn: true }, dependsOn: [...MASTER_DATA, FLOW_REQUISITIONS], previewable: true, factory: purchaseOrderFlow },
  { name: FLOW_INVOICES, source: 'jaggaer', target: 'peoplesoft', window: jaggaerWindow, switch: { key: 'invoices', defaultOn: true }, dependsOn: [...MASTER_DATA, FLOW_PURCHASE_ORDERS], previewable: true, factory: invoiceFlow },
];

/** PeopleSoft <-> JAGGAER: requisitions out for sourcing, approved POs and invoices back for accounting, suppliers both ways. */
export const peopleSoftJaggaer: PairDefinition<PeopleSoftJaggaerConfig> = {
  id: PAIR,
  workflowType: WORKFLOW_TYPE,
  description: 'PeopleSoft requisitions -> JAGGAER; approved JAGGAER POs -> PeopleSoft POs; JAGGAER invoices -> PeopleSoft vouchers; suppliers both ways; GL accounts -> JAGGAER account codes',
  configSchema: peopleSoftJaggaerConfigSchema,
  credentials: peopleSoftJaggaerCredentialsSchema.shape,
  flows,
  check: checkPeopleSoftJaggaerConnection,
  demo: { simulators: demoSimulators, customerId: DEMO_CUSTOMER_ID, connect: connectDemo },
};
