import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributePair } from '@temporalio/common';
import { validateFlowDependencies } from './flow-dependencies';
import { syncWorkflowId } from './sync-messages';
import type { SyncInput } from './sync-types';

/** Registered on the namespace (temporal-dev.yaml locally) so support staff can filter runs in the Web UI. */
export const CUSTOMER_ID = defineSearchAttributeKey('CustomerId', SearchAttributeType.KEYWORD);
export const SYNC_PAIR = defineSearchAttributeKey('SyncPair', SearchAttributeType.KEYWORD);
export const CONNECTION_ID = defineSearchAttributeKey('ConnectionId', SearchAttributeType.KEYWORD);

/**
 * The start options of a connection's sync, the same for every caller (API, webhook signalWithStart, CLI, tests):
 * one workflow per connection, its search attributes, and a summary the UI shows on the run. Continue-as-new keeps
 * the search attributes, so they are set once here.
 */
export function syncStartOptions(input: SyncInput, taskQueue: string) {
  // A cycle or unknown dependency would hold the run's flows back forever: refused before the run starts.
  validateFlowDependencies(input.flows);
  const typedSearchAttributes: SearchAttributePair[] = [
    { key: CUSTOMER_ID, value: input.customerId },
    { key: SYNC_PAIR, value: input.pair },
    { key: CONNECTION_ID, value: input.connectionId },
  ];
  return {
    workflowId: syncWorkflowId(input.connectionId),
    taskQueue,
    args: [input] as [SyncInput],
    typedSearchAttributes,
    staticSummary: `${input.pair} sync for customer ${input.customerId}`,
    staticDetails: `connection ${input.connectionId}; flows: ${input.flows.map((f) => f.flow).join(', ')}; schedule ${input.schedule}`,
  };
}
