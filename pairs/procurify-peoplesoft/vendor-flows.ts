import { type FlowFactory, type FlowRuntime, type SourceRecord } from '../../activities/flows/types';
import { recordKey, type VendorInput } from '../../connectors/peoplesoft';
import type { ProcurifyVendor, VendorWrite } from '../../connectors/procurify';
import { pairContext } from './context';
import { procurifyVendorKey, psVendorId } from './vendor-ids';

/** VENDOR.NAME1/NAME2 are Char40 each; a longer Procurify name continues in NAME2 rather than being cut. */
function vendorInput(setId: string, v: ProcurifyVendor): VendorInput {
  return {
    SETID: setId,
    VENDOR_ID: psVendorId(v.id, v.externalId),
    NAME1: v.name.slice(0, 40),
    ...(v.name.length > 40 ? { NAME2: v.name.slice(40, 80) } : {}),
    VENDOR_STATUS: v.active ? 'A' : 'I',
  };
}

/**
 * Procurify vendors -> PeopleSoft vendors (connectors/peoplesoft/upsert-vendor.ts, CI VNDR_ID). Procurify's vendor
 * list has no modified-date filter (GET /api/v3/vendors, https://developer.procurify.com/tag/vendors), so a window
 * reads the active vendors and keeps those whose `dateModified` falls in it. Requisitions depend on this flow, so a
 * new vendor exists in PeopleSoft before the first PO that names it.
 */
export const procurifyVendorFlow: FlowFactory = (ctx): FlowRuntime<VendorInput> => {
  const pair = pairContext(ctx);
  return {
    sourceSystem: 'procurify',
    targetSystem: 'peoplesoft',
    direction: 'procurify->peoplesoft',
    async fetchWindow(from, to) {
      const records: SourceRecord[] = [];
      for await (const page of pair.procurify.listVendors()) {
        for (const v of page) {
          const t = Date.parse(v.modifiedAt ?? '');
          if (Number.isNaN(t) || (t >= from.getTime() && t < to.getTime())) records.push({ key: procurifyVendorKey(v.id), updatedAt: v.modifiedAt ?? to.toISOString(), data: v });
        }
      }
      return records;
    },
    map: (record) => vendorInput(pair.config.vendorSetId, record.data as ProcurifyVendor),
    async create(payload) {
      const r = await pair.peoplesoft.upsertVendor(payload);
      return { targetId: `${r.keys.SETID}/${r.keys.VENDOR_ID}` };
    },
    async update(_targetId, payload) {
      await pair.peoplesoft.upsertVendor(payload);
    },
    // The VENDOR_ID is derived from the Procurify id: the upsert itself tells "already there" from "new".
    async findExisting(record) {
      const r = await pair.peoplesoft.upsertVendor(vendorInput(pair.config.vendorSetId, record.data as ProcurifyVendor));
      return `${r.keys.SETID}/${r.keys.VENDOR_ID}`;
    },
  };
};

interface PsVendorRow {
  SETID: string;
  VENDOR_ID: string;
  NAME1: string;
  NAME2?: string;
  VENDOR_STATUS: string;
  LASTUPDDTTM: string;
}

/**
 * PeopleSoft vendors -> Procurify vendors (POST/PATCH /api/v3/vendors), keyed by `external_id` = VENDOR_ID. Vendors
 * we created in PeopleSoft from Procurify (`PRCF…`) are not sent back: that would be our own write echoing.
 */
export const peopleSoftVendorFlow: FlowFactory = (ctx): FlowRuntime<VendorWrite & { name: string }> => {
  const pair = pairContext(ctx);
  return {
    sourceSystem: 'peoplesoft',
    targetSystem: 'procurify',
    direction: 'peoplesoft->procurify',
    async fetchWindow(from, to) {
      const { rows } = await pair.peoplesoft.fetchChanged('vendor', { from, to });
      return (rows as PsVendorRow[])
        .filter((r) => r.SETID === pair.config.vendorSetId && !r.VENDOR_ID.startsWith('PRCF'))
        .map((r) => ({ key: recordKey('vendor', r.SETID, r.VENDOR_ID), updatedAt: r.LASTUPDDTTM, data: r }));
    },
    map(record) {
      const r = record.data as PsVendorRow;
      return { name: [r.NAME1, r.NAME2].filter(Boolean).join(' '), externalId: r.VENDOR_ID, active: r.VENDOR_STATUS === 'A' };
    },
    async create(payload) {
      const existing = await pair.procurify.findVendorByExternalId(payload.externalId ?? '');
      const v = existing ? await pair.procurify.updateVendor(existing.id, payload) : await pair.procurify.createVendor(payload);
      return { targetId: String(v.id) };
    },
    async update(targetId, payload) {
      await pair.procurify.updateVendor(Number(targetId), payload);
    },
    async findExisting(record) {
      const v = await pair.procurify.findVendorByExternalId((record.data as PsVendorRow).VENDOR_ID);
      return v ? String(v.id) : undefined;
    },
  };
};
