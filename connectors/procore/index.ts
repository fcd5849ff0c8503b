import { createProcoreClient, type ProcoreClientDeps } from './client';
import { procoreAuthSchema, type ProcoreAuth, type ProcoreEndpointInput } from './config';
import { procoreDirectCosts } from './direct-costs';
import { procoreRequisitions } from './requisitions';
import { procoreResources } from './resources';
import { procoreWebhooks } from './webhooks';

export { procoreAuthSchema, procoreEndpointSchema, procoreIdSchema, PROCORE_ENVIRONMENTS, type ProcoreAuth, type ProcoreEndpointInput } from './config';
export { parseProcoreEvent, verifyDestinationAuthorization, type ProcoreEvent } from './webhook-events';
export type { ProcoreRequisition, ProcoreRequisitionLine, ProcoreRequisitionWithLines } from './requisitions';
export type { ProcoreCommitment, ProcoreDirectCost, ProcoreChangeOrder, ProcoreVendor, ProcoreLineItem } from './schemas';
export { PROCORE } from './request-token';
export { MAX_DIRECT_COST_LINES, type DirectCostInput } from './direct-costs';

/** Everything the pair calls on Procore, for one company: resources, webhooks, and the call statistics. */
export function createProcoreConnector(endpoint: ProcoreEndpointInput, auth: ProcoreAuth, deps: ProcoreClientDeps = {}) {
  const client = createProcoreClient(endpoint, procoreAuthSchema.parse(auth), deps);
  return { ...procoreResources(client), ...procoreDirectCosts(client), ...procoreRequisitions(client), webhooks: procoreWebhooks(client), authorize: client.authorize, stats: client.stats, companyId: client.companyId };
}
export type ProcoreConnector = ReturnType<typeof createProcoreConnector>;
