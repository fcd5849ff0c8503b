import { MappingError, type FlowFactory, type FlowRuntime, type SourceRecord } from '../../activities/flows/types';
import { recordKey } from '../../connectors/peoplesoft';
import { pairContext } from './context';

interface VendorRow {
  SETID: string;
  VENDOR_ID: string;
  NAME1: string;
  NAME2?: string;
  VENDOR_STATUS: string;
  LASTUPDDTTM: string;
}

export interface VendorSyncItem {
  origin_id: string;
  origin_data: string;
  name: string;
  is_active: boolean;
}

/** The PeopleSoft vendor key is the Procore vendor's origin_id (unique per company), so a vendor is never duplicated. */
export const vendorKey = (setId: string, vendorId: string) => recordKey('vendor', setId, vendorId);

/**
 * PeopleSoft vendors (REST inquiry, LASTUPDDTTM range) -> Procore company vendors through the vendors sync action
 * (PATCH /rest/v1.0/vendors/sync, https://developers.procore.com/reference/rest/v1/company-vendors#sync-company-vendors):
 * the records the engine writes together go in one call; an item Procore refuses in the 200 answer is dead-lettered
 * with Procore's errors for it, the others are linked. Purchase orders depend on this flow.
 */
export const vendorFlow: FlowFactory = (ctx): FlowRuntime<VendorSyncItem> => {
  const pair = pairContext(ctx);
  const sync = async (payload: VendorSyncItem) => (await pair.procore.syncVendor({ ...payload })).id;
  return {
    sourceSystem: 'peoplesoft',
    targetSystem: 'procore',
    direction: 'peoplesoft->procore',
    async fetchWindow(from, to) {
      const { rows, invalid } = await pair.peoplesoft.fetchChanged('vendor', { from, to });
      const records: SourceRecord[] = (rows as VendorRow[]).filter((r) => r.SETID === pair.config.peoplesoft.vendorSetId).map((r) => ({ key: vendorKey(r.SETID, r.VENDOR_ID), updatedAt: r.LASTUPDDTTM, data: r }));
      for (const bad of invalid) records.push({ key: `vendor:${bad.key.replace('|', '/')}`, updatedAt: from.toISOString(), data: { unreadable: bad.issues, raw: bad.raw } });
      if (records.length > 0) await pair.procore.authorize();
      return records;
    },
    map(record) {
      const r = record.data as VendorRow | { unreadable: unknown };
      if ('unreadable' in r) throw new MappingError(`PeopleSoft vendor ${record.key} does not match the inquiry's documented row: ${JSON.stringify(r.unreadable)}`);
      const name = [r.NAME1, r.NAME2].filter((s) => s && s.trim() !== '').join(' ');
      return { origin_id: record.key, origin_data: `${r.SETID}/${r.VENDOR_ID}`, name, is_active: r.VENDOR_STATUS === 'A' };
    },
    async create(payload) {
      return { targetId: await sync(payload) };
    },
    // The sync action finds the vendor by origin_id and updates it in place.
    async update(_targetId, payload) {
      await sync(payload);
    },
    // GET /rest/v1.0/vendors?filters[origin_id]=<our key>
    async findExisting(record) {
      return (await pair.procore.findVendorByOrigin(record.key))?.id;
    },
  };
};
