import { startPeopleSoftSimulator } from '../../simulators/peoplesoft';
import { startProcurifySimulator } from '../../simulators/procurify';
import { type FlowDeclaration, type FlowWindow, type PairDefinition } from '../types';
import { checkProcurifyPeopleSoftConnection } from './check-connection';
import {
  FLOW_PS_VENDORS,
  FLOW_REQUISITIONS,
  FLOW_VENDORS,
  FLOW_VOUCHER_CLOSE,
  PAIR,
  WORKFLOW_TYPE,
  procurifyPeopleSoftConfigSchema,
  procurifyPeopleSoftCredentialsSchema,
  type ProcurifyPeopleSoftConfig,
} from './config';
import { connectDemo } from './demo-world';
import { requisitionFlow } from './requisition-flow';
import { peopleSoftVendorFlow, procurifyVendorFlow } from './vendor-flows';
import { voucherCloseFlow } from './voucher-close-flow';

const DAY_MS = 86_400_000;

/**
 * Procurify filters by whole days and publishes no rate limit: windows of up to a week, an overlap of ten minutes
 * for clock skew, the first sync from `initialFrom` (default: 30 days before the connection was created).
 */
const window = (config: ProcurifyPeopleSoftConfig, createdAt: Date): FlowWindow => ({
  overlapMs: 10 * 60_000,
  maxWindowMs: (config.peoplesoft.maxWindowMs ?? 7 * DAY_MS),
  initialFrom: config.initialFrom ?? new Date(createdAt.getTime() - 30 * DAY_MS).toISOString(),
});

const flows: FlowDeclaration<ProcurifyPeopleSoftConfig>[] = [
  { name: FLOW_VENDORS, source: 'procurify', target: 'peoplesoft', window, switch: { key: 'vendors', defaultOn: true }, previewable: true, factory: procurifyVendorFlow },
  { name: FLOW_PS_VENDORS, source: 'peoplesoft', target: 'procurify', window, switch: { key: 'peoplesoftVendors', defaultOn: true }, previewable: true, factory: peopleSoftVendorFlow },
  // Vendors first: a PO never names a vendor PeopleSoft does not have yet.
  { name: FLOW_REQUISITIONS, source: 'procurify', target: 'peoplesoft', window, switch: { key: 'requisitions', defaultOn: true }, dependsOn: [FLOW_VENDORS], previewable: true, factory: requisitionFlow },
  // Optional, off by default: vouchers close the Procurify POs of the requisitions they pay; after the POs are posted.
  { name: FLOW_VOUCHER_CLOSE, source: 'peoplesoft', target: 'procurify', window, switch: { key: 'closeOnVoucher', defaultOn: false }, dependsOn: [FLOW_REQUISITIONS], previewable: true, factory: voucherCloseFlow },
];

/** Procurify -> PeopleSoft: approved requisitions become purchase orders; vendors both ways; optionally vouchers close Procurify POs. */
export const procurifyPeopleSoft: PairDefinition<ProcurifyPeopleSoftConfig> = {
  id: PAIR,
  workflowType: WORKFLOW_TYPE,
  description: 'Procurify approved requisitions -> PeopleSoft purchase orders (PO CI); vendors both ways',
  configSchema: procurifyPeopleSoftConfigSchema,
  credentials: procurifyPeopleSoftCredentialsSchema.shape,
  flows,
  check: checkProcurifyPeopleSoftConnection,
  demo: { simulators: { peoplesoft: startPeopleSoftSimulator, procurify: startProcurifySimulator }, connect: connectDemo, customerId: 'demo-procurify' },
};
