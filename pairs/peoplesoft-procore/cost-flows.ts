import { MappingError, type FlowFactory, type FlowRuntime, type SourceRecord } from '../../activities/flows/types';
import type { JournalInput, WriteResult } from '../../connectors/peoplesoft';
import type { ProcoreChangeOrder, ProcoreDirectCost } from '../../connectors/procore';
import { pairContext, type PairContext } from './context';
import { correctionOf, firstPosting, legacyTarget, parsePosted, postedTarget } from './cost-corrections';
import { changeOrderKey, changeOrderToJournal, directCostKey, directCostToJournal } from './map-costs';
import { isVoucherCost } from './origin-ids';
import { postedBefore, readPosted } from './posted-journal';

interface CostData<T> {
  projectId: string;
  cost: T;
}

/** CI MLC_JOURNAL_LN Create (connectors/peoplesoft/create-journal-lines.ts): a repeat of the same journal is "already applied". */
export function postJournal(pair: PairContext, journal: JournalInput): Promise<WriteResult> {
  return pair.peoplesoft.createJournalLines(journal);
}
/** When Procore created the cost (its journal is younger): `created_at`, passed through the loose schema. */
const createdAt = (cost: { updated_at: string }) => String((cost as { created_at?: unknown }).created_at ?? cost.updated_at);

/** A Procore cost of one kind, read per project, posted as one PeopleSoft journal of fixed id, corrected after edits. */
interface CostKind<T extends { id: string; updated_at: string }> {
  journalKind: 'D' | 'C';
  list: (pair: PairContext, projectId: string, from: Date, to: Date) => Promise<T[]>;
  /** Costs that are PeopleSoft's own (written by us from a voucher): never posted back. */
  ours?: (cost: T) => boolean;
  key: (projectId: string, id: string) => string;
  toJournal: (pair: PairContext, cost: T, projectId: string) => JournalInput;
}

/** The flow for one cost kind: every configured project's costs in the window, each to its journal. */
function costFlow<T extends { id: string; updated_at: string }>(kind: CostKind<T>): FlowFactory {
  return (ctx): FlowRuntime<JournalInput> => {
    const pair = pairContext(ctx);
    return {
      sourceSystem: 'procore',
      targetSystem: 'peoplesoft',
      direction: 'procore->peoplesoft',
      async fetchWindow(from, to) {
        const records: SourceRecord[] = [];
        for (const projectId of Object.keys(pair.config.projects)) {
          for (const cost of await kind.list(pair, projectId, from, to)) if (!kind.ours?.(cost)) records.push({ key: kind.key(projectId, cost.id), updatedAt: cost.updated_at, data: { projectId, cost } satisfies CostData<T> });
        }
        return records;
      },
      map(record) {
        const d = record.data as CostData<T>;
        return kind.toJournal(pair, d.cost, d.projectId);
      },
      async create(payload, record) {
        try {
          await postJournal(pair, payload);
          return { targetId: postedTarget(firstPosting(payload)) };
        } catch (err) {
          // Posted by the webhook as the cost was before an edit: correct from what PeopleSoft holds.
          const d = record.data as CostData<T>;
          const posted = await postedBefore(pair, err, payload, createdAt(d.cost));
          if (!posted) throw err;
          const correction = correctionOf(kind.journalKind, pair.procore.companyId, d.projectId, d.cost.id, posted, payload, d.cost.updated_at);
          if (correction) await postJournal(pair, correction.journal);
          return { targetId: postedTarget(correction?.next ?? posted) };
        }
      },
      /**
       * The cost changed after its journal was posted: PeopleSoft journals are not edited, so the difference per
       * ACCOUNT is posted as a correcting journal (cost-corrections.ts) and the link moves to the new posted state.
       */
      async update(targetId, payload, record) {
        const d = record.data as CostData<T>;
        const what = `Procore ${kind.journalKind === 'D' ? 'direct cost' : 'change order'} ${d.cost.id}`;
        const legacy = legacyTarget(targetId);
        const posted = legacy ? await readPosted(pair, legacy.businessUnit, legacy.journalId, createdAt(d.cost)) : parsePosted(targetId, what);
        if (!posted) throw new MappingError(`${what}: journal ${targetId} is not in PeopleSoft's journal inquiry: post the difference by hand, then replay`);
        const correction = correctionOf(kind.journalKind, pair.procore.companyId, d.projectId, d.cost.id, posted, payload, d.cost.updated_at);
        if (!correction) return;
        await postJournal(pair, correction.journal);
        return { targetId: postedTarget(correction.next) };
      },
      findExisting: () => Promise.resolve(undefined),
    };
  };
}

/**
 * Procore direct costs (per project, `filters[updated_at]`) -> PeopleSoft journal lines with ACCOUNT, DEPTID and
 * PROJECT_ID. A direct cost given an origin_id becomes immutable in Procore
 * (https://developers.procore.com/documentation/tutorial-financial-tools), so we never write one: what was posted is
 * tracked in record_links and by the journal's fixed id, never by marking the cost. A change after posting is
 * posted as a correcting journal of the difference (audited as the flow's update). Costs we made ourselves from PeopleSoft vouchers (our origin_id)
 * are PeopleSoft's already and are skipped: no echo.
 */
export const directCostFlow: FlowFactory = costFlow<ProcoreDirectCost>({
  journalKind: 'D',
  ours: (cost) => isVoucherCost(cost.origin_id),
  list: (pair, projectId, from, to) => pair.procore.listDirectCosts(projectId, from, to),
  key: directCostKey,
  toJournal: (pair, cost, projectId) => directCostToJournal(cost, projectId, pair.procore.companyId, pair.config),
});

/** Commitment change orders (per project) -> one PeopleSoft journal line per line item, on its cost code; edits corrected. */
export const changeOrderFlow: FlowFactory = costFlow<ProcoreChangeOrder>({
  journalKind: 'C',
  list: (pair, projectId, from, to) => pair.procore.listChangeOrders(projectId, from, to),
  key: changeOrderKey,
  toJournal: (pair, cost, projectId) => changeOrderToJournal(cost, projectId, pair.procore.companyId, pair.config),
});
