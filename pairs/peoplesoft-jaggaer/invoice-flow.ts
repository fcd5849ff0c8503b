import { type FlowFactory, type FlowRuntime } from '../../activities/flows/types';
import type { JaggaerInvoice } from '../../connectors/jaggaer';
import { toInvoice } from '../../connectors/jaggaer/models';
import { componentInterfaces, type VoucherInput } from '../../connectors/peoplesoft';
import { accountReferences } from './account-codes';
import { pairContext } from './context';
import { jaggaerWindow } from './jaggaer-records';
import { peopleSoftReads } from './peoplesoft-reads';
import { withPlainReading } from './plain-reading';
import { invoiceToVoucher, unreadable, type UnreadableData } from './map-documents';

/**
 * JAGGAER invoices -> PeopleSoft vouchers (CI MLC_VCHR_EXPRESS), a PO invoice matched to its PO on the voucher line.
 * An invoice whose vendor or PO PeopleSoft does not have yet waits for it (waiting_records, named in status) rather
 * than being refused; what PeopleSoft still refuses is dead-lettered with the raw answer and a plain reading
 * (connectors/peoplesoft/recognize-error.ts), and replayable once fixed.
 */
export const invoiceFlow: FlowFactory = (ctx): FlowRuntime<VoucherInput> => {
  const pair = pairContext(ctx);
  const reads = peopleSoftReads(pair);

  async function requireReferences(payload: VoucherInput, invoice: JaggaerInvoice): Promise<void> {
    const document = `JAGGAER invoice ${invoice.number}`;
    await reads.requireVendor(payload.VENDOR_SETID ?? pair.config.peoplesoft.vendorSetId, payload.VENDOR_ID, document);
    for (const line of payload.VOUCHER_LINE) {
      if (line.PO_ID) await reads.requirePurchaseOrder(line.BUSINESS_UNIT_PO ?? payload.BUSINESS_UNIT, line.PO_ID, document);
    }
  }

  return {
    sourceSystem: 'jaggaer',
    targetSystem: 'peoplesoft',
    direction: 'jaggaer->peoplesoft',
    // GET /j1p/api/public/ji/v1/invoices?flt=LASTMODTIME>=...;LASTMODTIME<=... (connectors/jaggaer/list-invoices.ts)
    fetchWindow: (from, to) => jaggaerWindow(pair.jaggaer.client, 'invoices', 'jaggaer-invoice', (doc) => toInvoice(doc, pair.jaggaer.client.provider), { from, to }),
    // Like a PO's: an invoice line coded to an account PeopleSoft does not know waits for it, named in status.
    references(record) {
      const data = record.data as JaggaerInvoice | UnreadableData;
      return 'kind' in data ? [] : accountReferences(pair.config, `JAGGAER invoice ${data.number}`, data.lines);
    },
    map(record) {
      const data = record.data as JaggaerInvoice | UnreadableData;
      return 'kind' in data ? unreadable(data) : invoiceToVoucher(data, pair.config);
    },
    // CI MLC_VCHR_EXPRESS Create; VOUCHER_ID is derived from the invoice id, so a repeat is already applied.
    async create(payload, record) {
      await requireReferences(payload, record.data as JaggaerInvoice);
      const result = await withPlainReading(() => pair.peoplesoft.createVoucher(payload));
      return { targetId: `${result.keys.BUSINESS_UNIT}/${result.keys.VOUCHER_ID}` };
    },
    // An invoice changed in JAGGAER after its voucher was entered (amount, dates, PO): the voucher CI has no Update
    // and payment may have started, so the change is dead-lettered with the differing fields unless PeopleSoft
    // already holds it. A change to fields we do not map (payment status) leaves the payload, and the voucher, alone.
    async update(_targetId, payload, record) {
      await requireReferences(payload, record.data as JaggaerInvoice);
      await reads.requireSameAsPeopleSoft(componentInterfaces.voucher, payload, `JAGGAER invoice ${(record.data as JaggaerInvoice).number}`);
    },
    findExisting: () => Promise.resolve(undefined),
  };
};
