import { MappingError, MissingReferenceError, type FlowFactory, type FlowRuntime, type SourceRecord } from '../../activities/flows/types';
import { recordKey, type PurchaseOrderInput } from '../../connectors/peoplesoft';
import type { ProcoreCommitment } from '../../connectors/procore';
import { FLOW_PS_POS } from './config';
import { pairContext, type PairContext } from './context';
import { toPeopleSoftAmount, normalizeAmount } from './money';
import { canonicalOfPeopleSoftPo, psVendorOfOrigin, type CanonicalPo } from './po-canonical';

/** A commitment's record key and target id: `commitment:<project id>/<id>` (both ids 64-bit digit strings). */
export const commitmentKey = (projectId: string, id: string) => `commitment:${projectId}/${id}`;
export function parseCommitmentKey(key: string): { projectId: string; id: string } {
  const m = /^commitment:(\d+)\/(\d+)$/.exec(key);
  if (!m) throw new MappingError(`"${key}" is not a Procore commitment key (commitment:<project id>/<id>)`);
  return { projectId: m[1]!, id: m[2]! };
}

/**
 * The PeopleSoft PO_ID (Char10) of a commitment created in Procore: `PC` and 8 base-36 digits of its id. Fixed per
 * commitment, so a retried Create is a duplicate PeopleSoft recognises; ids 36^8 apart would share one, and PeopleSoft
 * then refuses the second (different data under one key) into dead letters rather than overwriting.
 */
export function psPoIdOf(commitmentId: string): string {
  return `PC${(BigInt(commitmentId) % 36n ** 8n).toString(36).toUpperCase().padStart(8, '0')}`;
}

export interface CommitmentData {
  commitment: ProcoreCommitment;
  projectId: string;
  /** The PeopleSoft vendor behind the commitment's Procore vendor (its origin_id), when it came from PeopleSoft. */
  psVendor?: { setId: string; vendorId: string };
}

function canonicalOfCommitment(d: CommitmentData): CanonicalPo {
  return { number: d.commitment.number ?? '', vendor: d.psVendor?.vendorId ?? '', lines: d.commitment.line_items.map((l) => normalizeAmount(l.amount, `commitment ${d.commitment.id} line`)) };
}

/** A commitment as the flow's source record data: with the PeopleSoft vendor its Procore vendor came from. */
export async function withVendor(pair: PairContext, projectId: string, commitment: ProcoreCommitment, vendors: Map<string, string | null>): Promise<CommitmentData> {
  const vid = commitment.vendor?.id;
  if (vid && !vendors.has(vid)) vendors.set(vid, (await pair.procore.getVendor(vid))?.origin_id ?? null);
  const psVendor = vid ? psVendorOfOrigin(vendors.get(vid)) : undefined;
  return { commitment, projectId, ...(psVendor ? { psVendor } : {}) };
}

/**
 * Purchase order contracts created in Procore (no origin_id: ours carry the PeopleSoft key) -> PeopleSoft POs through
 * the PO CI, on the project's chartfields. Polled by updated_at per project; a webhook about a commitment runs this
 * flow for that one record at once (inbox.ts). Its PeopleSoft PO is recognised by the PeopleSoft -> Procore flow as our own write (the
 * echo guard), so it never comes back as a second commitment.
 */
export const procorePoFlow: FlowFactory = (ctx): FlowRuntime<PurchaseOrderInput> => {
  const pair = pairContext(ctx);
  const { config } = pair;
  const read = async (projectId: string, c: ProcoreCommitment, vendors: Map<string, string | null>): Promise<SourceRecord> => {
    // GET /rest/v1.0/purchase_order_contracts/{id}: the list is compact, the show has the line items.
    const full = await pair.procore.getCommitment(projectId, c.id);
    return { key: commitmentKey(projectId, c.id), updatedAt: full.updated_at, data: await withVendor(pair, projectId, full, vendors) };
  };
  return {
    sourceSystem: 'procore',
    targetSystem: 'peoplesoft',
    direction: 'procore->peoplesoft',
    async fetchWindow(from, to) {
      const records: SourceRecord[] = [];
      const vendors = new Map<string, string | null>();
      for (const projectId of Object.keys(config.projects)) {
        for (const c of await pair.procore.listCommitments(projectId, from, to)) if (!c.origin_id) records.push(await read(projectId, c, vendors));
      }
      return records;
    },
    async fetchOne(key) {
      const { projectId, id } = parseCommitmentKey(key);
      return read(projectId, { id } as ProcoreCommitment, new Map());
    },
    map(record) {
      const d = record.data as CommitmentData;
      const c = d.commitment;
      const project = config.projects[d.projectId];
      if (!project) throw new MappingError(`Procore project ${d.projectId} is not in this connection's projects`);
      if (!d.psVendor) throw new MissingReferenceError(`procore-vendor:${c.vendor?.id ?? 'none'}`, 'the commitment\'s vendor did not come from PeopleSoft (vendors follow PeopleSoft): add it in PeopleSoft or pick a synced vendor');
      if (c.line_items.length === 0) throw new MappingError(`Procore commitment ${c.id} has no line items: a PeopleSoft PO needs at least one PO_LINE`);
      const PO_LINE = c.line_items.map((l, i) => {
        const amount = normalizeAmount(l.amount, `commitment ${c.id} line ${i + 1}`);
        if (amount.startsWith('-')) throw new MappingError(`Procore commitment ${c.id} line ${i + 1} amount ${amount} is negative: PeopleSoft's PRICE_PO cannot be`);
        return { LINE_NBR: i + 1, DESCR254: (l.description ?? `Procore line ${i + 1}`).slice(0, 254), QTY_PO: '1', PRICE_PO: toPeopleSoftAmount(amount, `commitment ${c.id} line ${i + 1}`, 5), PROJECT_ID: project.projectId, DEPTID: project.deptId, ...(l.cost_code?.code ? { ACCOUNT: l.cost_code.code.slice(0, 10) } : {}) };
      });
      return {
        BUSINESS_UNIT: project.businessUnit ?? config.peoplesoft.businessUnit,
        PO_ID: psPoIdOf(c.id),
        PO_DT: (c.created_at ?? c.updated_at).slice(0, 10),
        VENDOR_SETID: d.psVendor.setId,
        VENDOR_ID: d.psVendor.vendorId,
        TXN_CURRENCY_CD: 'USD',
        PO_LINE,
      };
    },
    both: {
      reverseFlow: FLOW_PS_POS,
      canonical: (record) => canonicalOfCommitment(record.data as CommitmentData),
      canonicalPayload: (payload) => canonicalOfPeopleSoftPo(payload),
      financialFields: ['lines'],
    },
    // CI MLC_PO_EXPRESS Create; the PO_ID is fixed per commitment, so a repeat is "already applied".
    async create(payload) {
      const r = await pair.peoplesoft.createPurchaseOrder(payload);
      return { targetId: recordKey('purchaseOrder', r.keys.BUSINESS_UNIT!, r.keys.PO_ID!) };
    },
    // The PO CI exposes Create and Get only: a later change in Procore is audited, not rewritten.
    update: () => Promise.resolve(),
    findExisting: () => Promise.resolve(undefined),
  };
};
