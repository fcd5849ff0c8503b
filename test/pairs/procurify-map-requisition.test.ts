import { MappingError } from '../../activities/flows/types';
import type { RawOrder, RawOrderItem } from '../../connectors/procurify';
import { procurifyPeopleSoftConfigSchema } from '../../pairs/procurify-peoplesoft/config';
import { mapRequisition, poIdFor, requisitionReferences, type RequisitionData } from '../../pairs/procurify-peoplesoft/map-requisition';

/** The requisition -> PO mapping alone (pure): lines, chartfields, vendor identity, and every refusal named. */
const config = procurifyPeopleSoftConfigSchema.parse({
  procurify: { domain: 'acme' },
  peoplesoft: { baseUrl: 'http://127.0.0.1:1', node: 'PSFT_EP' },
  businessUnit: 'US001',
  vendorSetId: 'SHARE',
  chartfields: { accountCodes: { '6100-00': '610000', '6200-00': '620000' }, departments: { Maintenance: 'D0042' }, locations: { 'Plant 1': 'OU-PL1' } },
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
        { LINE_NBR: 1, DESCR254: 'Item 1', QTY_PO: '2.5', PRICE_PO: '19.99', ACCOUNT: '610000', DEPTID: 'D0042', OPERATING_UNIT: 'OU-PL1' },
        { LINE_NBR: 2, DESCR254: 'Item 2', QTY_PO: '2.5', PRICE_PO: '19.99', ACCOUNT: '620000', DEPTID: 'D0042', OPERATING_UNIT: 'OU-PL1' },
      ],
    });
    expect(poIdFor(1234)).toBe('PRC0001234');
  });

  it('uses the PeopleSoft VENDOR_ID a vendor born in PeopleSoft carries as external_id', () => {
    expect(mapRequisition(config, record([item(1)], { '55': '0000000012' })).VENDOR_ID).toBe('0000000012');
  });

  it('puts locations on the chartfield the mapping names, and lands no line without one once locations are mapped', () => {
    const asProject = procurifyPeopleSoftConfigSchema.parse({ ...config, chartfields: { ...config.chartfields, locations: { 'Plant 1': 'PRJ-PLANT1' }, locationChartfield: 'PROJECT_ID' } });
    expect(mapRequisition(asProject, record([item(1)])).PO_LINE[0]).toMatchObject({ PROJECT_ID: 'PRJ-PLANT1' });
    expect(mapRequisition(asProject, record([item(1)])).PO_LINE[0]).not.toHaveProperty('OPERATING_UNIT');
    const unmappedPlant = { ...config, chartfields: { ...config.chartfields, locations: { 'Plant 2': 'OU-PL2' } } };
    expect(() => mapRequisition(unmappedPlant, record([item(1)]))).toThrow(new MappingError('requisition 1234: location "Plant 1" has no OPERATING_UNIT in chartfields.locations'));
    const noLocations = { ...config, chartfields: { ...config.chartfields, locations: {} } };
    expect(mapRequisition(noLocations, record([item(1)])).PO_LINE[0]).toEqual({ LINE_NBR: 1, DESCR254: 'Item 1', QTY_PO: '2.5', PRICE_PO: '19.99', ACCOUNT: '610000', DEPTID: 'D0042' });
    // OPERATING_UNIT is Char8 in PeopleSoft: a longer value is refused at config time, naming the location.
    const tooLong = procurifyPeopleSoftConfigSchema.safeParse({ ...config, chartfields: { ...config.chartfields, locations: { 'Plant 1': 'PRJ-PLANT1' } } });
    expect(tooLong.success).toBe(false);
    expect(tooLong.error?.issues[0]).toMatchObject({ path: ['chartfields', 'locations', 'Plant 1'], message: expect.stringContaining('OPERATING_UNIT is at most 8 characters') });
  });

  it('makes a requisition on a vendor born in Procurify wait for the vendor flow, and posts it on the VENDOR_ID that flow wrote', () => {
    expect(requisitionReferences(record([item(1)]))).toEqual([{ key: 'procurify-vendor:55', sourceSystem: 'procurify', targetSystem: 'peoplesoft' }]);
    // Born in PeopleSoft (external_id): already there, nothing to wait for. Two vendors: refused by the mapper instead.
    expect(requisitionReferences(record([item(1)], { '55': '0000000012' }))).toEqual([]);
    expect(requisitionReferences(record([item(1), item(2, { pref_vendor: 56 })]))).toEqual([]);
    const refs = new Map([['procurify-vendor:55', 'vendor:SHARE/PRCF000055']]);
    expect(mapRequisition(config, record([item(1)]), refs).VENDOR_ID).toBe('PRCF000055');
  });

  it('names what cannot be mapped instead of defaulting it', () => {
    expect(() => mapRequisition(config, record([item(1, { accountCode: '9999-00' })]))).toThrow(new MappingError('requisition 1234: account code "9999-00" (item 1) has no ACCOUNT in chartfields.accountCodes'));
    expect(() => mapRequisition(config, record([item(1), item(2, { pref_vendor: 56 })]))).toThrow(/orders from 2 vendors \(55, 56\)/);
    expect(() => mapRequisition(config, record([]))).toThrow(/has no items/);
    expect(() => mapRequisition({ ...config, chartfields: { ...config.chartfields, departments: {} } }, record([item(1)]))).toThrow(/department "Maintenance" has no DEPTID/);
  });
});
