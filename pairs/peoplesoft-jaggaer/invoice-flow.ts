import { type FlowFactory, type FlowRuntime } from '../../activities/flows/types';
import type { JaggaerInvoice } from '../../connectors/jaggaer';
import { toInvoice } from '../../connectors/jaggaer/models';
import type { VoucherInput } from '../../connectors/peoplesoft';
import { pairContext } from './context';
import { jaggaerWindow } from './jaggaer-records';
import { withPlainReading } from './plain-reading';
import { invoiceToVoucher, unreadable, type UnreadableData } from './map-documents';

/**
 * JAGGAER invoices -> PeopleSoft vouchers (CI MLC_VCHR_EXPRESS), a PO invoice matched to its PO on the voucher line.
 * PeopleSoft's own edits decide what it accepts: an unknown vendor or PO is refused with (15,11), dead-lettered with
 * the raw answer and a plain reading (connectors/peoplesoft/recognize-error.ts), and replayable once fixed.
 */
export const invoiceFlow: FlowFactory = (ctx): FlowRuntime<VoucherInput> => {
  const pair = pairContext(ctx);
  return {
    sourceSystem: 'jaggaer',
    targetSystem: 'peoplesoft',
    direction: 'jaggaer->peoplesoft',
    // GET /j1p/api/public/ji/v1/invoices?flt=LASTMODTIME>=...;LASTMODTIME<=... (connectors/jaggaer/list-invoices.ts)
    fetchWindow: (from, to) => jaggaerWindow(pair.jaggaer.client, 'invoices', 'jaggaer-invoice', (doc) => toInvoice(doc, pair.jaggaer.client.provider), { from, to }),
    map(record) {
      const data = record.data as JaggaerInvoice | UnreadableData;
      return 'kind' in data ? unreadable(data) : invoiceToVoucher(data, pair.config);
    },
    // CI MLC_VCHR_EXPRESS Create; VOUCHER_ID is derived from the invoice id, so a repeat is already applied.
    async create(payload) {
      const result = await withPlainReading(() => pair.peoplesoft.createVoucher(payload));
      return { targetId: `${result.keys.BUSINESS_UNIT}/${result.keys.VOUCHER_ID}` };
    },
    // Vouchers are not rewritten once entered (payment may have started); the change is audited.
    update: () => Promise.resolve(),
    findExisting: () => Promise.resolve(undefined),
  };
};
