import { MappingError, MissingReferenceError, type FlowContext, type FlowFactory, type FlowRuntime, type SourceRecord } from '../../activities/flows/types';
import { componentInterfaces, parseRecordKey, type VoucherInput } from '../../connectors/peoplesoft';
import { getByKeys, sameAsWritten } from '../../connectors/peoplesoft/ci-write';
import type { ProcoreRequisitionWithLines } from '../../connectors/procore';
import { type Db } from '../../db/pool';
import { findLinkByTarget, getLinks } from '../../db/record-links';
import { pairContext, type PairContext } from './context';
import { parseRequisitionKey, requisitionKey, requisitionToVoucher, voucherFor, VOUCHERABLE_STATUSES, type RequisitionVoucher } from './map-requisition';
import { commitmentKey } from './procore-po-flow';

interface RequisitionData extends ProcoreRequisitionWithLines {
  projectId: string;
}
interface LinkedPo {
  businessUnit: string;
  poId: string;
  vendorSetId: string;
  vendorId: string;
}

/**
 * The PeopleSoft PO behind a commitment, from the PO flows' record_links in either direction: a PO made in PeopleSoft
 * (peoplesoft -> procore, target = the commitment) or a commitment made in Procore (procore -> peoplesoft, target = the
 * PO). Undefined while neither flow has linked it.
 */
export async function linkedPoKey(pool: Db, connectionId: string, projectId: string, commitmentId: string): Promise<string | undefined> {
  const key = commitmentKey(projectId, commitmentId);
  const back = (await getLinks(pool, { connectionId, sourceSystem: 'procore', targetSystem: 'peoplesoft' }, [key])).get(key);
  if (back?.state === 'linked' && back.target_id) return back.target_id;
  const out = await findLinkByTarget(pool, connectionId, 'procore', key);
  return out?.state === 'linked' && out.source_system === 'peoplesoft' ? out.source_key : undefined;
}

function requirePool(ctx: FlowContext): Db {
  if (!ctx.pool) throw new Error(`connection ${ctx.connection.id}: requisitions look up their commitment's PO link in the database, which this caller did not provide`);
  return ctx.pool;
}

/** Reads one requisition (show + detail lines) as the flow's source record. */
export async function readRequisition(pair: PairContext, projectId: string, id: string): Promise<SourceRecord> {
  const data = await pair.procore.getRequisition(projectId, id);
  return { key: requisitionKey(projectId, id), updatedAt: data.requisition.updated_at, data: { ...data, projectId } satisfies RequisitionData };
}
export const isVoucherable = (record: SourceRecord) => VOUCHERABLE_STATUSES.has((record.data as RequisitionData).requisition.status);

/**
 * Procore requisitions (subcontractor invoices on purchase order contracts, approved) -> PeopleSoft vouchers (CI
 * MLC_VCHR_EXPRESS) matched to the PO their commitment is linked to: PO_ID / BUSINESS_UNIT_PO on every line, the PO's
 * business unit and vendor on the header, amounts as decimals from the detail lines. A requisition whose commitment is
 * not linked to a PeopleSoft PO yet waits, naming the commitment. VOUCHER_ID and INVOICE_ID are fixed per requisition
 * (map-requisition.ts), so every repeat is "already applied" in PeopleSoft.
 */
export const requisitionFlow: FlowFactory = (ctx): FlowRuntime<RequisitionVoucher> => {
  const pair = pairContext(ctx);
  const pos = new Map<string, Promise<Record<string, unknown> | undefined>>();

  async function poOf(v: RequisitionVoucher): Promise<LinkedPo> {
    const ref = commitmentKey(v.projectId, v.commitmentId);
    const poKey = await linkedPoKey(requirePool(ctx), pair.connectionId, v.projectId, v.commitmentId);
    if (!poKey) throw new MissingReferenceError(ref, `Procore commitment ${v.commitmentId} (project ${v.projectId}) is not linked to a PeopleSoft PO yet: requisition ${v.requisitionId} is vouchered once the PO flows have synced it (only purchase order contracts become POs)`);
    const parsed = parseRecordKey(poKey, ['purchaseOrder'] as const);
    if (!parsed) throw new MappingError(`commitment ${ref} is linked to "${poKey}", which is not a PeopleSoft PO key`);
    const [businessUnit, poId] = parsed.keys as [string, string];
    // CI MLC_PO_EXPRESS Get: the voucher's vendor is the PO's (cached per activity: several requisitions bill one PO).
    let row = pos.get(poKey);
    if (!row) pos.set(poKey, (row = getByKeys(pair.peoplesoftSoap, componentInterfaces.purchaseOrder, { BUSINESS_UNIT: businessUnit, PO_ID: poId })));
    const po = await row.catch((err: unknown) => {
      pos.delete(poKey);
      throw err;
    });
    if (!po?.VENDOR_ID) throw new MissingReferenceError(poKey, `commitment ${ref} is linked to PO ${businessUnit}/${poId}, which PeopleSoft does not return yet`);
    return { businessUnit, poId, vendorSetId: String(po.VENDOR_SETID || pair.config.peoplesoft.vendorSetId), vendorId: String(po.VENDOR_ID) };
  }

  return {
    sourceSystem: 'procore',
    targetSystem: 'peoplesoft',
    direction: 'procore->peoplesoft',
    async fetchWindow(from, to) {
      const records: SourceRecord[] = [];
      for (const projectId of Object.keys(pair.config.projects)) {
        for (const data of await pair.procore.listRequisitions(projectId, from, to)) {
          const record = { key: requisitionKey(projectId, data.requisition.id), updatedAt: data.requisition.updated_at, data: { ...data, projectId } satisfies RequisitionData };
          if (isVoucherable(record)) records.push(record);
        }
      }
      return records;
    },
    fetchOne(key) {
      const { projectId, id } = parseRequisitionKey(key);
      return readRequisition(pair, projectId, id);
    },
    map(record) {
      const d = record.data as RequisitionData;
      if (!pair.config.projects[d.projectId]) throw new MappingError(`Procore project ${d.projectId} is not in this connection's projects`);
      return requisitionToVoucher(d, d.projectId, pair.procore.companyId);
    },
    // CI MLC_VCHR_EXPRESS Create; VOUCHER_ID is fixed per requisition, so a repeat is "already applied".
    async create(payload) {
      const r = await pair.peoplesoft.createVoucher(voucherFor(payload, await poOf(payload)));
      return { targetId: `${r.keys.BUSINESS_UNIT}/${r.keys.VOUCHER_ID}` };
    },
    // A requisition changed after its voucher was entered: the voucher CI has no Update and payment may have started,
    // so unless PeopleSoft already holds the new values the change is dead-lettered, naming the fields.
    async update(_targetId, payload) {
      const voucher: VoucherInput = voucherFor(payload, await poOf(payload));
      const current = await getByKeys(pair.peoplesoftSoap, componentInterfaces.voucher, { BUSINESS_UNIT: voucher.BUSINESS_UNIT, VOUCHER_ID: voucher.VOUCHER_ID });
      if (current && sameAsWritten(voucher, current)) return;
      const differing = current ? Object.keys(voucher).filter((f) => !sameAsWritten({ [f]: voucher[f as keyof VoucherInput] } as never, current)) : ['(voucher missing)'];
      throw new MappingError(`Procore requisition ${payload.requisitionId} changed after voucher ${voucher.BUSINESS_UNIT}/${voucher.VOUCHER_ID} was entered (${differing.join(', ')} differ): vouchers cannot be updated through the CI; adjust the voucher in PeopleSoft, then replay`);
    },
    // After a crash between intent and link: creating again is "already applied" (the voucher id is fixed).
    findExisting: () => Promise.resolve(undefined),
  };
};
