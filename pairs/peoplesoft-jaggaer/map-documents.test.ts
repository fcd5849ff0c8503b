import type { JaggaerInvoice, JaggaerPurchaseOrder } from '../../connectors/jaggaer';
import { peopleSoftJaggaerConfigSchema } from './config';
import { invoiceToVoucher, purchaseOrderToPeopleSoft, supplierToVendor, vendorToSupplier } from './map-documents';
import { supplierNeutral, vendorNeutral } from './supplier-canonical';

const config = peopleSoftJaggaerConfigSchema.parse({ peoplesoft: { baseUrl: 'http://127.0.0.1:1', node: 'PSFT_EP' }, jaggaer: { instanceUrl: 'http://127.0.0.1:2' } });
const po = (line: Partial<JaggaerPurchaseOrder['lines'][number]>): JaggaerPurchaseOrder => ({
  id: '1', number: 'PO1', status: 'Approved', supplierNumber: 'V1', lastModified: '2026-11-30T10:00:00.000Z', currency: 'USD',
  lines: [{ lineNumber: '1', quantity: '2', unitPrice: '10.25', ...line }],
});
const invoice = (total: string): JaggaerInvoice => ({ id: '77', number: 'I77', supplierNumber: 'V1', total, lastModified: '2026-11-30T10:00:00.000Z', lines: [] });

describe('PeopleSoft <-> JAGGAER mappings', () => {
  it('keeps amounts as decimal text and refuses, by field, what a PeopleSoft field cannot hold instead of rounding it', () => {
    expect(purchaseOrderToPeopleSoft(po({ quantity: '1.5', unitPrice: '0.00001' }), 'R1', config).PO_LINE).toEqual([{ LINE_NBR: 1, QTY_PO: '1.5', PRICE_PO: '0.00001' }]);
    expect(() => purchaseOrderToPeopleSoft(po({ unitPrice: '0.000001' }), undefined, config)).toThrow("JAGGAER PO PO1 line 1 unitPrice 0.000001 has more decimals than PeopleSoft's PRICE_PO (5)");
    expect(() => purchaseOrderToPeopleSoft(po({ quantity: '1.00001' }), undefined, config)).toThrow("quantity 1.00001 has more decimals than PeopleSoft's QTY_PO (4)");
    expect(() => purchaseOrderToPeopleSoft(po({ lineNumber: 'A-1' }), undefined, config)).toThrow('line number A-1 is not a PeopleSoft LINE_NBR');
    expect(invoiceToVoucher(invoice('12345678901234.567'), config)).toMatchObject({ GROSS_AMT: '12345678901234.567', VOUCHER_LINE: [{ MERCHANDISE_AMT: '12345678901234.567' }] });
    expect(() => invoiceToVoucher(invoice('0.0001'), config)).toThrow("JAGGAER invoice I77 total 0.0001 has more decimals than PeopleSoft's GROSS_AMT (3)");
  });

  it('gives a supplier the same neutral form on both sides for every status in the table, so read-backs compare equal', () => {
    for (const status of ['A', 'I', 'D', 'E', 'X']) {
      const row = { VENDOR_ID: 'V0001', NAME1: 'Acme Bolts', VENDOR_STATUS: status };
      const supplier = vendorToSupplier(row);
      expect(supplierNeutral(supplier)).toEqual(vendorNeutral(row));
      const back = supplierToVendor({ id: '9', supplierNumber: supplier.supplierNumber, name: supplier.name, status: supplier.status, lastModified: '2026-11-30T10:00:00.000Z' }, config);
      expect(vendorNeutral(back)).toEqual(vendorNeutral(row));
    }
    expect(supplierNeutral({ supplierNumber: 'V2', name: 'Italian Supplier', status: 'ABILITATO' })).toEqual({ number: 'V2', name: 'Italian Supplier', status: 'ABILITATO' });
  });
});
