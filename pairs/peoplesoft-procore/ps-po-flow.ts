import { MappingError, type FlowFactory, type FlowRuntime, type SourceRecord } from '../../activities/flows/types';
import { recordKey } from '../../connectors/peoplesoft';
import { FLOW_PROCORE_POS } from './config';
import { pairContext } from './context';
import { canonicalOfPeopleSoftPo, lineAmount, type PsPoRow } from './po-canonical';
import { commitmentKey, parseCommitmentKey } from './procore-po-flow';
import { vendorKey } from './vendor-flow';

export interface CommitmentPayload {
  projectId: string;
  contract: Record<string, unknown> & { number: string; vendor_id: string; origin_id: string };
  lines: { origin_id: string; description: string; amount: string; quantity: string; unit_cost: string }[];
  /** For the echo guard: the PeopleSoft side of what this commitment carries. */
  canonical: { number: string; vendor: string; lines: string[] };
}

/**
 * PeopleSoft purchase orders (REST inquiry) -> Procore purchase order contracts on the project their lines name
 * (PROJECT_ID mapped in `projects`, else `defaultProjectId`), with line items, through the sync actions
 * (https://developers.procore.com/reference/rest/v1/purchase-order-contracts#sync-purchase-order-contracts).
 * The vendor must be in Procore first: the PO references it, and waits (reason shown) until the vendor flow linked it.
 * The PO key is the commitment's origin_id. POs both ways: the echo guard skips the PeopleSoft POs that our own
 * Procore -> PeopleSoft flow wrote.
 */
export const psPoFlow: FlowFactory = (ctx): FlowRuntime<CommitmentPayload> => {
  const pair = pairContext(ctx);
  const { config } = pair;
  const projectFor = (row: PsPoRow): string => {
    for (const line of row.PO_LINE ?? []) {
      const hit = Object.entries(config.projects).find(([, p]) => p.projectId === line.PROJECT_ID);
      if (hit) return hit[0];
    }
    return config.defaultProjectId;
  };
  const refOf = (row: PsPoRow) => vendorKey(row.VENDOR_SETID || config.peoplesoft.vendorSetId, row.VENDOR_ID);
  return {
    sourceSystem: 'peoplesoft',
    targetSystem: 'procore',
    direction: 'peoplesoft->procore',
    async fetchWindow(from, to) {
      const { rows, invalid } = await pair.peoplesoft.fetchChanged('purchaseOrder', { from, to });
      const records: SourceRecord[] = (rows as unknown as PsPoRow[]).map((r) => ({ key: recordKey('purchaseOrder', r.BUSINESS_UNIT, r.PO_ID), updatedAt: r.LASTUPDDTTM, data: r }));
      for (const bad of invalid) records.push({ key: `purchaseOrder:${bad.key.replace('|', '/')}`, updatedAt: from.toISOString(), data: { unreadable: bad.issues } });
      if (records.length > 0) await pair.procore.authorize();
      return records;
    },
    references(record) {
      const row = record.data as PsPoRow;
      return 'unreadable' in (record.data as object) ? [] : [{ key: refOf(row), sourceSystem: 'peoplesoft', targetSystem: 'procore' }];
    },
    map(record, refs) {
      if ('unreadable' in (record.data as object)) throw new MappingError(`PeopleSoft PO ${record.key} does not match the inquiry's documented row`);
      const row = record.data as PsPoRow;
      const vendorId = refs?.get(refOf(row));
      if (!vendorId) throw new MappingError(`PeopleSoft PO ${record.key}: vendor ${refOf(row)} has no Procore id`);
      const lines = (row.PO_LINE ?? []).map((l, i) => ({ origin_id: `${record.key}#${l.LINE_NBR ?? i + 1}`, description: (l.DESCR254 ?? `Line ${i + 1}`).slice(0, 255), amount: lineAmount(l, `PO ${row.PO_ID} line ${i + 1}`), quantity: String(l.QTY_PO), unit_cost: String(l.PRICE_PO) }));
      return {
        projectId: projectFor(row),
        contract: { number: row.PO_ID, title: `PeopleSoft PO ${row.BUSINESS_UNIT}/${row.PO_ID}`, vendor_id: vendorId, status: 'Approved', origin_id: record.key, origin_data: `${row.BUSINESS_UNIT}/${row.PO_ID}` },
        lines,
        canonical: canonicalOfPeopleSoftPo(row),
      };
    },
    both: {
      reverseFlow: FLOW_PROCORE_POS,
      canonical: (record) => canonicalOfPeopleSoftPo(record.data as PsPoRow),
      canonicalPayload: (payload) => payload.canonical,
      financialFields: ['lines'],
    },
    // Header through the PO contracts sync action (batched, by origin_id: a repeat after a crash updates, never
    // duplicates), then the lines through the line items sync action (by `<PO key>#<line>`).
    async create(payload) {
      const c = await pair.procore.syncCommitment(payload.projectId, payload.contract);
      await pair.procore.syncCommitmentLines(payload.projectId, c.id, payload.lines);
      return { targetId: commitmentKey(payload.projectId, c.id) };
    },
    async update(targetId, payload) {
      const { projectId } = parseCommitmentKey(targetId);
      const c = await pair.procore.syncCommitment(projectId, payload.contract);
      await pair.procore.syncCommitmentLines(projectId, c.id, payload.lines);
    },
    // GET /rest/v1.0/purchase_order_contracts?filters[origin_id]=<our key>
    async findExisting(record) {
      const row = record.data as PsPoRow;
      const projectId = projectFor(row);
      const found = await pair.procore.findCommitmentByOrigin(projectId, record.key);
      return found ? commitmentKey(projectId, found.id) : undefined;
    },
  };
};
