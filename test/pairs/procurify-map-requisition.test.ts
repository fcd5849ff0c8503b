import { MappingError } from '../../activities/flows/types';
import type { RawOrder, RawOrderItem } from '../../connectors/procurify';
import { procurifyPeopleSoftConfigSchema } from '../../pairs/procurify-peoplesoft/config';
import { mapRequisition, poIdFor, type RequisitionData } from '../../pairs/procurify-peoplesoft/map-requisition';

/** The requisition -> PO mapping alone (pure): lines, chartfields, vendor identity, and every refusal named. */
const config = procurifyPeopleSoftConfigSchema.parse({
  procurify: { domain: 'acme' },
  peoplesoft: { baseUrl: 'http://127.0.0.1:1', node: 'PSFT_EP' },
  businessUnit: 'US001',
  vendorSetId: 'SHARE',
  chartfields: { accountCodes: { '6100-00': '610000', '6200-00': '620000' }, departments: { Maintenance: 'D0042' }, locations: { 'Plant 1': 'PRJ-PLANT1' } },
});

const order = { num: 1234, uuid: 'u', status: 1, department: { id: 7, name: 'Maintenance' }, branch: { id: 3, name: 'Plant 1' }, user: { email: 'r@example.com' }, currency: { name: 'USD' }, dateRequired: '2026-12-01T00:00:00Z', date: '2026-11-28T10:00:00Z' } as RawOrder;
const item = (id: number, over: Partial<RawOrderItem> = {}): RawOrderItem =>
  ({ id, num: `S${id}`, orderNum: 1234, name: `Item ${id}`, unit: 'EA', quantity: '2.500', price: '19.9900', approved_datetime: '2026-11-28T10:00:00Z', currency: 1, pref_vendor: 55, account: 9, accountCode: '6100-00', ...over }) as RawOrderItem;
const record = (items: RawOrderItem[], externalIds: Record<string, string | null> = {}) => ({ key: 'k', updatedAt: '2026-11-28T10:00:00Z', data: { order, items, vendorExternalIds: externalIds } satisfies RequisitionData });

describe('mapRequisition', () => {
  it('maps one PO line per item in item order, with chartfields from the mapping and the derived vendor', () => {
    const po = mapRequisition(config, record([item(2, { accountCode: '6200-00' }), item(1)]));
    expect(po).toEqual({
      BUSINESS_UNIT: 'US001',
      PO_ID: poIdFor(1234),
      PO_DT: '2026-11-28',
      VENDOR_SETID: 'SHARE',
      VENDOR_ID: 'PRCF000055',
      REQ_ID: '1234',
      TXN_CURRENCY_CD: 'USD',
      PO_LINE: [
        { LINE_NBR: 1, DESCR254: 'Item 1', QTY_PO: '2.500', PRICE_PO: '19.9900', ACCOUNT: '610000', DEPTID: 'D0042', PROJECT_ID: 'PRJ-PLANT1' },
        { LINE_NBR: 2, DESCR254: 'Item 2', QTY_PO: '2.500', PRICE_PO: '19.9900', ACCOUNT: '620000', DEPTID: 'D0042', PROJECT_ID: 'PRJ-PLANT1' },
      ],
    });
    expect(poIdFor(1234)).toBe('PRC0001234');
  });

  it('uses the PeopleSoft VENDOR_ID a vendor born in PeopleSoft carries as external_id', () => {
    expect(mapRequisition(config, record([item(1)], { '55': '0000000012' })).VENDOR_ID).toBe('0000000012');
  });

  it('names what cannot be mapped instead of defaulting it', () => {
    expect(() => mapRequisition(config, record([item(1, { accountCode: '9999-00' })]))).toThrow(new MappingError('requisition 1234: account code "9999-00" (item 1) has no ACCOUNT in chartfields.accountCodes'));
    expect(() => mapRequisition(config, record([item(1), item(2, { pref_vendor: 56 })]))).toThrow(/orders from 2 vendors \(55, 56\)/);
    expect(() => mapRequisition(config, record([]))).toThrow(/has no items/);
    expect(() => mapRequisition({ ...config, chartfields: { ...config.chartfields, departments: {} } }, record([item(1)]))).toThrow(/department "Maintenance" has no DEPTID/);
  });
});
