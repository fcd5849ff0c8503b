import { type FlowFactory, type FlowRuntime, type SourceRecord } from '../../activities/flows/types';
import type { JaggaerSupplier, SupplierInput } from '../../connectors/jaggaer';
import { toSupplier } from '../../connectors/jaggaer/models';
import { recordKey, type VendorInput } from '../../connectors/peoplesoft';
import { pairContext } from './context';
import { jaggaerWindow } from './jaggaer-records';
import { withPlainReading } from './plain-reading';
import { supplierToVendor, unreadable, vendorToSupplier, type UnreadableData } from './map-documents';

type VendorRow = { SETID: string; VENDOR_ID: string; NAME1: string; VENDOR_STATUS: string; LASTUPDDTTM: string };

/**
 * PeopleSoft vendors -> JAGGAER supplier profiles (numbered by VENDOR_ID). A supplier read back on the other side
 * maps to the same values (statuses one to one), so the return write is "already applied" and changes nothing: the
 * loop stops after one look (the engine's echo suppression, branch `engine`, makes it zero looks).
 */
export const psVendorsFlow: FlowFactory = (ctx): FlowRuntime<SupplierInput> => {
  const pair = pairContext(ctx);
  return {
    sourceSystem: 'peoplesoft',
    targetSystem: 'jaggaer',
    direction: 'peoplesoft->jaggaer',
    async fetchWindow(from, to) {
      const { rows, invalid } = await pair.peoplesoft.fetchChanged('vendor', { from, to });
      const records: SourceRecord[] = rows.map((row) => ({ key: recordKey('vendor', row.SETID, row.VENDOR_ID), updatedAt: row.LASTUPDDTTM, data: row }));
      for (const bad of invalid) {
        records.push({ key: `vendor:${bad.key.replace('|', '/')}`, updatedAt: from.toISOString(), data: { kind: 'unreadable', entity: 'PeopleSoft vendor', problem: bad.issues, raw: bad.raw } satisfies UnreadableData });
      }
      if (records.length > 0) await pair.jaggaer.authorize();
      return records;
    },
    map(record) {
      const data = record.data as VendorRow | UnreadableData;
      return 'kind' in data ? unreadable(data) : vendorToSupplier(data);
    },
    // GET companyprofiles?flt=EXTCODE==..., then POST operationCode UPDATE or CREATE (bravo-api OperationCode.php):
    // a vendor that came from JAGGAER already has its supplier, which is updated in place, never duplicated.
    async create(payload) {
      return { targetId: (await pair.jaggaer.upsertSupplier(payload)).id };
    },
    // POST companyprofiles operationCode UPDATE
    async update(targetId, payload) {
      await pair.jaggaer.updateSupplier(targetId, payload);
    },
    // GET companyprofiles?flt=EXTCODE==<VENDOR_ID>
    async findExisting(record) {
      const data = record.data as VendorRow;
      return (await pair.jaggaer.findSupplierByNumber(data.VENDOR_ID))?.id;
    },
  };
};

/**
 * JAGGAER suppliers -> PeopleSoft vendors through the delivered VNDR_ID CI. Create-or-update by natural key
 * (SETID/VENDOR_ID): a repeat is "already applied", so no lookup is needed after a crash.
 */
export const jaggaerSuppliersFlow: FlowFactory = (ctx): FlowRuntime<VendorInput> => {
  const pair = pairContext(ctx);
  const write = async (payload: VendorInput) => {
    await withPlainReading(() => pair.peoplesoft.upsertVendor(payload));
    return `${payload.SETID}/${payload.VENDOR_ID}`;
  };
  return {
    sourceSystem: 'jaggaer',
    targetSystem: 'peoplesoft',
    direction: 'jaggaer->peoplesoft',
    async fetchWindow(from, to) {
      return jaggaerWindow(pair.jaggaer.client, 'suppliers', 'jaggaer-supplier', (doc) => toSupplier(doc, pair.jaggaer.client.provider), { from, to });
    },
    map(record) {
      const data = record.data as JaggaerSupplier | UnreadableData;
      return 'kind' in data ? unreadable(data) : supplierToVendor(data, pair.config);
    },
    // CI VNDR_ID Create, or Update when the key exists with other values (connectors/peoplesoft/upsert-vendor.ts)
    async create(payload) {
      return { targetId: await write(payload) };
    },
    async update(_targetId, payload) {
      await write(payload);
    },
    findExisting: () => Promise.resolve(undefined),
  };
};
