import { z } from 'zod';
import { MissingReferenceError, type FlowFactory, type FlowRuntime, type SourceRecord } from '../../activities/flows/types';
import { recordKey } from '../../connectors/peoplesoft';
import { pairContext, type PairContext } from './context';

/**
 * The voucher as the PeopleSoft voucher inquiry (MLC_VOUCHER_SYNC_GET) returns it, with the VOUCHER_LINE rows the
 * voucher CI takes (BUSINESS_UNIT_PO, PO_ID: a voucher line matched to a PO line). Vouchers without lines on our POs
 * are not this flow's business.
 */
const voucherSchema = z
  .object({
    BUSINESS_UNIT: z.string(),
    VOUCHER_ID: z.string(),
    LASTUPDDTTM: z.string(),
    VOUCHER_LINE: z.array(z.object({ PO_ID: z.string().optional(), BUSINESS_UNIT_PO: z.string().optional() }).loose()).optional(),
  })
  .loose();

/** The requisition number in a PO_ID this pair gave (`PRC` + 7 digits, map-requisition.ts poIdFor). */
const requisitionOfPo = (poId: string | undefined): number | undefined => {
  const m = /^PRC(\d{7})$/.exec(poId ?? '');
  return m ? Number(m[1]) : undefined;
};

export interface VoucherClose {
  /** Procurify requisitions whose POs the voucher pays, in number order. */
  requisitions: number[];
}

/** The Procurify POs the requisition's items were purchased on (OrderItem.PO); waits while it has none yet. */
async function procurifyPosOf(pair: PairContext, num: number): Promise<number[]> {
  const ids = new Set<number>();
  for await (const page of pair.procurify.listOrderItems({ orderNum: num })) for (const item of page) for (const id of item.PO ?? []) ids.add(id);
  if (ids.size === 0) throw new MissingReferenceError(`procurify-purchase-order-of-requisition:${num}`, `requisition ${num} is not on a Procurify purchase order yet`);
  return [...ids].sort((a, b) => a - b);
}

/**
 * Optional (`flows.closeOnVoucher`): PeopleSoft vouchers read back to close the matching POs in Procurify. A voucher
 * line on a PO this connection posted (PO_ID `PRC…` in the connection's business unit) names the requisition; the
 * Procurify POs that requisition was purchased on are closed with POST /api/v3/purchase-orders/{procurify_PO}/close
 * (Purchaseorders_closeOrder, https://developer.procurify.com/tag/purchase-orders). Closing twice is harmless, so a
 * retried or replayed voucher closes nothing new.
 */
export const voucherCloseFlow: FlowFactory = (ctx): FlowRuntime<VoucherClose> => {
  const pair = pairContext(ctx);
  const closeAll = async (payload: VoucherClose): Promise<string> => {
    const closed: number[] = [];
    for (const num of payload.requisitions) {
      for (const id of await procurifyPosOf(pair, num)) {
        await pair.procurify.closePurchaseOrder(id);
        closed.push(id);
      }
    }
    return `procurify-purchase-orders:${closed.join(',')}`;
  };
  return {
    sourceSystem: 'peoplesoft',
    targetSystem: 'procurify',
    direction: 'peoplesoft->procurify',
    async fetchWindow(from, to) {
      const { rows } = await pair.peoplesoft.fetchChanged('voucher', { from, to });
      const records: SourceRecord[] = [];
      for (const raw of rows) {
        const v = voucherSchema.parse(raw);
        const ours = (v.VOUCHER_LINE ?? []).filter((l) => !l.BUSINESS_UNIT_PO || l.BUSINESS_UNIT_PO === pair.config.businessUnit);
        const requisitions = [...new Set(ours.map((l) => requisitionOfPo(l.PO_ID)).filter((n): n is number => n !== undefined))].sort((a, b) => a - b);
        if (requisitions.length > 0) records.push({ key: recordKey('voucher', v.BUSINESS_UNIT, v.VOUCHER_ID), updatedAt: v.LASTUPDDTTM, data: { requisitions } satisfies VoucherClose });
      }
      return records;
    },
    map: (record) => ({ requisitions: (record.data as VoucherClose).requisitions }),
    create: async (payload) => ({ targetId: await closeAll(payload) }),
    async update(_targetId, payload) {
      await closeAll(payload);
    },
    // Closing is idempotent: after a crash the close is simply done again.
    findExisting: async () => undefined,
  };
};
