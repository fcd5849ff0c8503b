import { MappingError, MissingReferenceError, type FlowFactory, type FlowRuntime, type SourceRecord } from '../../activities/flows/types';
import { recordKey } from '../../connectors/peoplesoft';
import type { ProcoreDirectCost } from '../../connectors/procore';
import { getLinks } from '../../db/record-links';
import { pairContext } from './context';
import { voucherAdjustmentOrigin, voucherPartOrigin } from './origin-ids';
import { vendorKey } from './vendor-flow';
import { adjustmentLines, chunkLines, mapVoucher, projectVoucherRowSchema, sameLines, voucherData, type VoucherCostLine, type VoucherCostPayload, type VoucherData } from './voucher-costs';

/** Procore PO ids our reverse flow gives PeopleSoft POs made from Procore commitments (procore-po-flow.ts psPoIdOf). */
const PROCORE_BORN_PO = /^PC[0-9A-Z]{8}$/;
/** At most this many parts or adjustments are probed for one voucher (a voucher of 10,000 lines has 100 parts). */
const MAX_PROBES = 1000;

const targetOf = (projectId: string, ids: string[]) => `${projectId}:${ids.join(',')}`;
const linesOf = (dc: ProcoreDirectCost): VoucherCostLine[] => dc.line_items.map((l) => ({ account: l.cost_code?.code ?? '', amount: l.amount, description: l.description ?? '' }));

/**
 * PeopleSoft vouchers whose distribution lines carry a PROJECT_ID mapped to a Procore project (and are not matched to a
 * PO that is a Procore commitment) -> Procore direct costs of type invoice on that project, cost code = the line's
 * ACCOUNT, vendor = the linked Procore vendor (the voucher waits, naming it, until the vendor flow linked it).
 * More than 100 lines: several costs of at most 100 lines, origin_id `<voucher key>#<part>`. A crash between a create
 * and our link is recovered by finding the parts by origin_id. A cost carrying our origin_id is immutable in Procore
 * (https://developers.procore.com/documentation/tutorial-financial-tools): a voucher changed after posting gets an
 * adjusting cost of the difference per cost code, origin_id `<voucher key>#adj-<n>`, so Procore's actuals equal
 * PeopleSoft's. The direct-cost -> journal flow skips these costs (origin-ids.ts): no echo.
 */
export const projectVoucherFlow: FlowFactory = (ctx): FlowRuntime<VoucherCostPayload> => {
  const pair = pairContext(ctx);
  const setId = pair.config.peoplesoft.vendorSetId;
  const costCodeIds = new Map<string, Promise<Map<string, string>>>();
  /** The project's cost codes by code (= ACCOUNT), read once per activity. */
  const costCodeOf = async (projectId: string, account: string): Promise<string> => {
    let codes = costCodeIds.get(projectId);
    if (!codes) {
      codes = pair.procore.listCostCodes(projectId).then((list) => new Map(list.map((c) => [c.code, c.id])));
      costCodeIds.set(projectId, codes);
    }
    const id = (await codes).get(account);
    if (!id) throw new MissingReferenceError(recordKey('glAccount', setId, account), `no cost code ${account} in Procore project ${projectId} yet`);
    return id;
  };

  /** POST one direct cost of at most 100 lines under `originId`. */
  const post = async (payload: VoucherCostPayload, originId: string, lines: VoucherCostLine[], description: string): Promise<string> => {
    const items = [];
    for (const l of lines) items.push({ amount: l.amount, description: l.description, cost_code_id: await costCodeOf(payload.projectId, l.account) });
    const dc = await pair.procore.createDirectCost(payload.projectId, {
      direct_cost_type: 'invoice',
      direct_cost_date: payload.date,
      status: 'approved',
      vendor_id: payload.vendorId,
      invoice_number: payload.invoiceNumber,
      description,
      origin_id: originId,
      origin_data: description,
      line_items_attributes: items,
    });
    return dc.id;
  };

  /** What Procore holds for the voucher: its parts `#1..` and adjustments `#adj-1..`, each up to the first missing one. */
  const posted = async (voucherKey: string, projectId: string) => {
    const probe = async (origin: (n: number) => string) => {
      const found: ProcoreDirectCost[] = [];
      for (let n = 1; n <= MAX_PROBES; n++) {
        const dc = await pair.procore.findDirectCostByOrigin(projectId, origin(n));
        if (!dc) break;
        found.push(dc);
      }
      return found;
    };
    const parts = await probe((n) => voucherPartOrigin(voucherKey, n));
    const adjustments = parts.length > 0 ? await probe((n) => voucherAdjustmentOrigin(voucherKey, n)) : [];
    return { parts, adjustments };
  };

  return {
    sourceSystem: 'peoplesoft',
    targetSystem: 'procore',
    direction: 'peoplesoft->procore',
    async fetchWindow(from, to) {
      const { rows, invalid } = await pair.peoplesoft.fetchChanged('voucher', { from, to });
      const parsed = rows.map((r) => ({ raw: r, row: projectVoucherRowSchema.safeParse(r) }));
      // POs whose commitment is in Procore (our ps->procore PO flow linked them): their vouchers' costs arrive there as invoices.
      const poKeys = [...new Set(parsed.flatMap((p) => (p.row.success ? p.row.data.DISTRIB_LINE.filter((l) => l.PO_ID).map((l) => recordKey('purchaseOrder', l.BUSINESS_UNIT_PO ?? p.row.data!.BUSINESS_UNIT, l.PO_ID!)) : [])))];
      const linked = ctx.pool && poKeys.length > 0 ? await getLinks(ctx.pool, { connectionId: pair.connectionId, sourceSystem: 'peoplesoft', targetSystem: 'procore' }, poKeys) : new Map();
      const records: SourceRecord[] = [];
      for (const { raw, row } of parsed) {
        const key = recordKey('voucher', String(raw.BUSINESS_UNIT), String(raw.VOUCHER_ID));
        if (!row.success) {
          records.push({ key, updatedAt: String(raw.LASTUPDDTTM), data: { unreadable: row.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') } });
          continue;
        }
        const onCommitment = (l: { PO_ID?: string; BUSINESS_UNIT_PO?: string }) => !!l.PO_ID && (PROCORE_BORN_PO.test(l.PO_ID) || linked.get(recordKey('purchaseOrder', l.BUSINESS_UNIT_PO ?? row.data.BUSINESS_UNIT, l.PO_ID))?.state === 'linked');
        const data = voucherData(row.data, pair.config, onCommitment);
        if (data) records.push({ key, updatedAt: row.data.LASTUPDDTTM, data });
      }
      for (const bad of invalid) records.push({ key: `voucher:${bad.key.replace('|', '/')}`, updatedAt: from.toISOString(), data: { unreadable: bad.issues } });
      if (records.length > 0) await pair.procore.authorize();
      return records;
    },
    references(record) {
      if ('unreadable' in (record.data as object)) return [];
      const v = (record.data as VoucherData).voucher;
      return [{ key: vendorKey(v.VENDOR_SETID ?? setId, v.VENDOR_ID), sourceSystem: 'peoplesoft', targetSystem: 'procore' }];
    },
    map(record, refs) {
      if ('unreadable' in (record.data as object)) throw new MappingError(`PeopleSoft voucher ${record.key} does not match the inquiry's documented row: ${(record.data as { unreadable: string }).unreadable}`);
      const v = (record.data as VoucherData).voucher;
      return mapVoucher(record, refs?.get(vendorKey(v.VENDOR_SETID ?? setId, v.VENDOR_ID)));
    },
    auditDetail: (payload) => ({ projectId: payload.projectId, lines: payload.lines.length, parts: chunkLines(payload.lines).length }),
    // One direct cost per part of at most 100 lines, each under its own origin_id.
    async create(payload, record) {
      const ids: string[] = [];
      for (const [i, lines] of chunkLines(payload.lines).entries()) ids.push(await post(payload, voucherPartOrigin(record.key, i + 1), lines, `${payload.description} part ${i + 1}`));
      return { targetId: targetOf(payload.projectId, ids) };
    },
    /**
     * Missing parts (a crash between two parts' creates) are created when the parts in Procore are the first parts
     * of the voucher as it is now; otherwise the difference per cost code between the voucher and everything posted
     * for it becomes one adjusting cost (more parts above 100 accounts) under the next `#adj-<n>`.
     */
    async update(targetId, payload, record) {
      const projectId = targetId.split(':')[0]!;
      if (projectId !== payload.projectId) throw new MappingError(`PeopleSoft voucher ${record.key} moved from Procore project ${projectId} to ${payload.projectId} after posting: reverse it in project ${projectId} by hand, then replay`);
      const { parts, adjustments } = await posted(record.key, projectId);
      const wantedParts = chunkLines(payload.lines);
      const ids = [...parts, ...adjustments].map((d) => d.id);
      const isPrefix = adjustments.length === 0 && parts.length <= wantedParts.length && parts.every((p, i) => sameLines(linesOf(p), wantedParts[i]!));
      if (isPrefix) {
        for (let i = parts.length; i < wantedParts.length; i++) ids.push(await post(payload, voucherPartOrigin(record.key, i + 1), wantedParts[i]!, `${payload.description} part ${i + 1}`));
        return { targetId: targetOf(projectId, ids) };
      }
      const adjust = adjustmentLines([...parts, ...adjustments].flatMap(linesOf), payload.lines, payload.description);
      for (const [i, lines] of chunkLines(adjust).entries()) {
        const n = adjustments.length + i + 1;
        ids.push(await post(payload, voucherAdjustmentOrigin(record.key, n), lines, `${payload.description} adjustment ${n}`));
      }
      return { targetId: targetOf(projectId, ids) };
    },
    async findExisting(record) {
      if ('unreadable' in (record.data as object)) return undefined;
      const projectId = (record.data as VoucherData).projectId;
      const { parts, adjustments } = await posted(record.key, projectId);
      return parts.length > 0 ? targetOf(projectId, [...parts, ...adjustments].map((d) => d.id)) : undefined;
    },
  };
};
