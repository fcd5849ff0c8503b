import { type FlowFactory, type FlowRuntime, type SourceRecord } from '../../activities/flows/types';
import type { JournalInput, WriteResult } from '../../connectors/peoplesoft';
import type { ProcoreChangeOrder, ProcoreDirectCost } from '../../connectors/procore';
import { pairContext, type PairContext } from './context';
import { changeOrderKey, changeOrderToJournal, directCostKey, directCostToJournal } from './map-costs';

interface CostData<T> {
  projectId: string;
  cost: T;
}

/** CI MLC_JOURNAL_LN Create (connectors/peoplesoft/create-journal-lines.ts): a repeat of the same journal is "already applied". */
export function postJournal(pair: PairContext, journal: JournalInput): Promise<WriteResult> {
  return pair.peoplesoft.createJournalLines(journal);
}
const targetOf = (r: WriteResult) => `${r.keys.BUSINESS_UNIT}/${r.keys.JOURNAL_ID}`;

/**
 * Procore direct costs (per project, `filters[updated_at]`) -> PeopleSoft journal lines with ACCOUNT, DEPTID and
 * PROJECT_ID. A direct cost given an origin_id becomes immutable in Procore
 * (https://developers.procore.com/documentation/tutorial-financial-tools), so we never write one: what was posted is
 * tracked in record_links and by the journal's fixed id, never by marking the cost. A change after posting is audited,
 * not re-posted (journals are corrected by a new entry in PeopleSoft).
 */
export const directCostFlow: FlowFactory = (ctx): FlowRuntime<JournalInput> => {
  const pair = pairContext(ctx);
  return {
    sourceSystem: 'procore',
    targetSystem: 'peoplesoft',
    direction: 'procore->peoplesoft',
    async fetchWindow(from, to) {
      const records: SourceRecord[] = [];
      for (const projectId of Object.keys(pair.config.projects)) {
        for (const cost of await pair.procore.listDirectCosts(projectId, from, to)) records.push({ key: directCostKey(projectId, cost.id), updatedAt: cost.updated_at, data: { projectId, cost } satisfies CostData<ProcoreDirectCost> });
      }
      return records;
    },
    map(record) {
      const d = record.data as CostData<ProcoreDirectCost>;
      return directCostToJournal(d.cost, d.projectId, pair.procore.companyId, pair.config);
    },
    async create(payload) {
      return { targetId: targetOf(await postJournal(pair, payload)) };
    },
    update: () => Promise.resolve(),
    findExisting: () => Promise.resolve(undefined),
  };
};

/** Commitment change orders (per project) -> one PeopleSoft journal line each, on `changeOrderAccount`. */
export const changeOrderFlow: FlowFactory = (ctx): FlowRuntime<JournalInput> => {
  const pair = pairContext(ctx);
  return {
    sourceSystem: 'procore',
    targetSystem: 'peoplesoft',
    direction: 'procore->peoplesoft',
    async fetchWindow(from, to) {
      const records: SourceRecord[] = [];
      for (const projectId of Object.keys(pair.config.projects)) {
        for (const cost of await pair.procore.listChangeOrders(projectId, from, to)) records.push({ key: changeOrderKey(projectId, cost.id), updatedAt: cost.updated_at, data: { projectId, cost } satisfies CostData<ProcoreChangeOrder> });
      }
      return records;
    },
    map(record) {
      const d = record.data as CostData<ProcoreChangeOrder>;
      return changeOrderToJournal(d.cost, d.projectId, pair.procore.companyId, pair.config);
    },
    async create(payload) {
      return { targetId: targetOf(await postJournal(pair, payload)) };
    },
    update: () => Promise.resolve(),
    findExisting: () => Promise.resolve(undefined),
  };
};
