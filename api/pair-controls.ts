import { checkPeopleSoftAsanaConnection, type SystemCheck } from '../activities/flows/peoplesoft-asana/check-connection';
import { peopleSoftAsanaFlows } from '../activities/flows/peoplesoft-asana';
import { type FlowContext, type FlowFactory } from '../activities/flows/types';
import { scheduleText } from '../core/cron';
import { defaultFlowSettings, PAIR, peopleSoftAsanaConfigSchema, syncInputFor, WORKFLOW_TYPE } from '../core/pairs/peoplesoft-asana';
import { type FlowSettings, type SyncInput } from '../core/sync-types';
import { type ConnectionRow } from '../db/connections';

/** What the control plane needs of each pair: its workflow, the workflow's input, a check and the read-only flows. */
export interface PairControl {
  workflowType: string;
  syncInput(connection: ConnectionRow): SyncInput;
  /** The flow settings a config change hands to the running workflow (watermarks are kept by the workflow). */
  flowSettings(config: unknown, createdAt: Date): { schedule: string; flows: FlowSettings[] };
  check(ctx: FlowContext): Promise<SystemCheck[]>;
  /** Factories used by dry run: only flows whose fetch and map have no side effects (webhook housekeeping is left out). */
  previewFlows: Record<string, FlowFactory>;
}

export const pairControls: Record<string, PairControl> = {
  [PAIR]: {
    workflowType: WORKFLOW_TYPE,
    syncInput: syncInputFor,
    flowSettings: (config, createdAt) => {
      const parsed = peopleSoftAsanaConfigSchema.parse(config);
      return { schedule: scheduleText(parsed.schedule), flows: defaultFlowSettings(parsed, createdAt) };
    },
    check: checkPeopleSoftAsanaConnection,
    previewFlows: peopleSoftAsanaFlows,
  },
};
