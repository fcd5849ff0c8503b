import { type FlowContext, type FlowFactory } from '../activities/flows/types';
import { buildConnectionSchemas } from '../core/connection-request';
import { type FlowSettings, type SyncInput } from '../core/sync-types';
import { type ConnectionRow } from '../db/connections';
import { pairs } from '../pairs';
import { assertValidPairs, flowSettingsFor, syncInputFor } from '../pairs/derive';
import { type SystemCheck } from '../pairs/types';

export type { SystemCheck } from '../pairs/types';

/** What the control plane needs of each pair: its workflow, the workflow's input, a check and the read-only flows. */
export interface PairControl {
  workflowType: string;
  syncInput(connection: ConnectionRow): SyncInput;
  /** The flow settings a config change hands to the running workflow (watermarks are kept by the workflow). */
  flowSettings(config: unknown, createdAt: Date): { schedule: string; flows: FlowSettings[] };
  check(ctx: FlowContext): Promise<SystemCheck[]>;
  /** Factories used by dry run: the flows declared previewable (fetch and map without side effects). */
  previewFlows: Record<string, FlowFactory>;
}

assertValidPairs(pairs);

/** Derived from pairs/index.ts: one control per declared pair. */
export const pairControls: Record<string, PairControl> = Object.fromEntries(
  pairs.map((pair) => [
    pair.id,
    {
      workflowType: pair.workflowType,
      syncInput: syncInputFor,
      flowSettings: (config: unknown, createdAt: Date) => flowSettingsFor(pair, config, createdAt),
      check: pair.check,
      previewFlows: Object.fromEntries(pair.flows.filter((f) => f.previewable).map((f) => [f.name, f.factory])),
    } satisfies PairControl,
  ]),
);

/** The create union and the per-pair update schemas, from the same list. */
export const { createConnectionSchema, pairSchemas } = buildConnectionSchemas(pairs);
