import { type BothWays, type FlowFactory, type FlowRuntime, type SourceRecord } from '../../activities/flows/types';
import { type VendorInput } from '../../connectors/peoplesoft';
import type { ProcurifyVendor, VendorWrite } from '../../connectors/procurify';
import { isPartnerError } from '../../core/partner-error';
import { FLOW_PS_VENDORS, FLOW_VENDORS } from './config';
import { pairContext, type PairContext } from './context';
import { neutralFromPeopleSoft, neutralFromProcurify, splitVendorName } from './vendor-canonical';
import { procurifyVendorIdOf, procurifyVendorKey, psVendorId, psVendorKey } from './vendor-ids';

function vendorInput(setId: string, v: ProcurifyVendor): VendorInput {
  return { SETID: setId, VENDOR_ID: psVendorId(v.id, v.externalId), ...splitVendorName(v.name), VENDOR_STATUS: v.active ? 'A' : 'I' };
}

const procurifyRecord = (v: ProcurifyVendor, fallbackAt: string): SourceRecord => ({ key: procurifyVendorKey(v.id), updatedAt: v.modifiedAt ?? fallbackAt, data: v });

/** The vendor as Procurify holds it now, or undefined when Procurify no longer has it. */
async function readProcurifyVendor(pair: PairContext, key: string): Promise<SourceRecord | undefined> {
  try {
    return procurifyRecord(await pair.procurify.getVendor(procurifyVendorIdOf(key)), new Date().toISOString());
  } catch (err) {
    if (isPartnerError(err) && err.status === 404) return undefined;
    throw err;
  }
}

/**
 * Procurify vendors -> PeopleSoft vendors (connectors/peoplesoft/upsert-vendor.ts, CI VNDR_ID). Procurify's vendor
 * list has no modified-date filter (GET /api/v3/vendors, https://developer.procurify.com/tag/vendors), so a window
 * reads the active vendors and keeps those whose `dateModified` falls in it. Requisitions depend on this flow, so a
 * new vendor exists in PeopleSoft before the first PO that names it. Vendors we wrote to Procurify from PeopleSoft
 * come back in this list: the engine's echo guard (`both`) recognises them and writes nothing.
 */
export const procurifyVendorFlow: FlowFactory = (ctx): FlowRuntime<VendorInput> => {
  const pair = pairContext(ctx);
  const both: BothWays<VendorInput> = {
    reverseFlow: FLOW_PS_VENDORS,
    canonical: (record) => ({ ...neutralFromProcurify(record.data as ProcurifyVendor) }),
    canonicalPayload: (payload) => ({ ...neutralFromPeopleSoft(payload) }),
  };
  return {
    sourceSystem: 'procurify',
    targetSystem: 'peoplesoft',
    direction: 'procurify->peoplesoft',
    both,
    async fetchWindow(from, to) {
      const records: SourceRecord[] = [];
      for await (const page of pair.procurify.listVendors()) {
        for (const v of page) {
          const t = Date.parse(v.modifiedAt ?? '');
          if (Number.isNaN(t) || (t >= from.getTime() && t < to.getTime())) records.push(procurifyRecord(v, to.toISOString()));
        }
      }
      return records;
    },
    fetchOne: (key) => readProcurifyVendor(pair, key),
    map: (record) => vendorInput(pair.config.vendorSetId, record.data as ProcurifyVendor),
    async create(payload) {
      const r = await pair.peoplesoft.upsertVendor(payload);
      return { targetId: psVendorKey(String(r.keys.SETID), String(r.keys.VENDOR_ID)) };
    },
    async update(_targetId, payload) {
      await pair.peoplesoft.upsertVendor(payload);
    },
    // The VENDOR_ID is derived from the Procurify id: the upsert itself tells "already there" from "new".
    async findExisting(record) {
      const r = await pair.peoplesoft.upsertVendor(vendorInput(pair.config.vendorSetId, record.data as ProcurifyVendor));
      return psVendorKey(String(r.keys.SETID), String(r.keys.VENDOR_ID));
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

type ProcurifyVendorPayload = VendorWrite & { name: string };

/**
 * PeopleSoft vendors -> Procurify vendors (POST/PATCH /api/v3/vendors), keyed by `external_id` = VENDOR_ID. Vendors
 * we created in PeopleSoft from Procurify come back in the inquiry: the engine's echo guard recognises them (the
 * mirror state we left) and writes nothing, so no Procurify vendor is ever created twice.
 */
export const peopleSoftVendorFlow: FlowFactory = (ctx): FlowRuntime<ProcurifyVendorPayload> => {
  const pair = pairContext(ctx);
  const both: BothWays<ProcurifyVendorPayload> = {
    reverseFlow: FLOW_VENDORS,
    canonical: (record) => ({ ...neutralFromPeopleSoft(record.data as PsVendorRow) }),
    canonicalPayload: (payload) => ({ ...neutralFromProcurify({ name: payload.name, active: payload.active ?? true }) }),
  };
  return {
    sourceSystem: 'peoplesoft',
    targetSystem: 'procurify',
    direction: 'peoplesoft->procurify',
    both,
    async fetchWindow(from, to) {
      const { rows } = await pair.peoplesoft.fetchChanged('vendor', { from, to });
      return (rows as PsVendorRow[]).filter((r) => r.SETID === pair.config.vendorSetId).map((r) => ({ key: psVendorKey(r.SETID, r.VENDOR_ID), updatedAt: r.LASTUPDDTTM, data: r }));
    },
    map(record) {
      const r = record.data as PsVendorRow;
      return { ...neutralFromPeopleSoft(r), externalId: r.VENDOR_ID };
    },
    async create(payload) {
      const existing = await pair.procurify.findVendorByExternalId(payload.externalId ?? '');
      const v = existing ? await pair.procurify.updateVendor(existing.id, payload) : await pair.procurify.createVendor(payload);
      return { targetId: procurifyVendorKey(v.id) };
    },
    async update(targetId, payload) {
      await pair.procurify.updateVendor(procurifyVendorIdOf(targetId), payload);
    },
    async findExisting(record) {
      const v = await pair.procurify.findVendorByExternalId((record.data as PsVendorRow).VENDOR_ID);
      return v ? procurifyVendorKey(v.id) : undefined;
    },
  };
};
