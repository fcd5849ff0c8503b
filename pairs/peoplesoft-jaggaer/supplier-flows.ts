import { z } from 'zod';
import { type FlowFactory, type FlowRuntime, type SourceRecord } from '../../activities/flows/types';
import type { JaggaerSupplier, SupplierInput } from '../../connectors/jaggaer';
import { toSupplier } from '../../connectors/jaggaer/models';
import { componentInterfaces, parseRecordKey, recordKey, type VendorInput } from '../../connectors/peoplesoft';
import { ciOperation } from '../../connectors/peoplesoft/component-interfaces';
import { PARTNER } from '../../connectors/peoplesoft/recognize-error';
import { PartnerError } from '../../core/partner-error';
import { FLOW_JAGGAER_SUPPLIERS, FLOW_PS_VENDORS } from './config';
import { pairContext } from './context';
import { jaggaerWindow } from './jaggaer-records';
import { peopleSoftReads } from './peoplesoft-reads';
import { withPlainReading } from './plain-reading';
import { supplierToVendor, unreadable, vendorToSupplier, type UnreadableData } from './map-documents';
import { supplierNeutral, vendorNeutral } from './supplier-canonical';

type VendorRow = { SETID: string; VENDOR_ID: string; NAME1: string; VENDOR_STATUS: string; LASTUPDDTTM: string };

/**
 * Suppliers sync both ways through the engine's echo guard (`both`): each flow's target ids are the other flow's
 * record keys (`vendor:<SETID>/<VENDOR_ID>` on PeopleSoft, `jaggaer-supplier:<bravoId>` on JAGGAER), so mirror_states
 * knows both sides of one supplier, a read-back of our own write is skipped, and an edit made on both sides since
 * the last sync is settled by the flows' conflict rule (PeopleSoft wins, index.ts) and audited.
 */
const SUPPLIER_KEY = 'jaggaer-supplier:';
const supplierKey = (id: string) => `${SUPPLIER_KEY}${id}`;
const supplierIdOf = (key: string) => (key.startsWith(SUPPLIER_KEY) ? key.slice(SUPPLIER_KEY.length) : key);

/** A VNDR_ID Get answer (node-soap types LASTUPDDTTM as a Date). */
const vendorGetSchema = z.looseObject({ NAME1: z.string(), VENDOR_STATUS: z.string(), LASTUPDDTTM: z.union([z.date(), z.string()]).optional() });

function vendorFromGet(got: unknown, setId: string, vendorId: string) {
  const parsed = vendorGetSchema.safeParse(got);
  if (parsed.success) return parsed.data;
  // Guessing a missing field would misread a conflict: say which field the CI's Get must return instead.
  throw new PartnerError(`PeopleSoft ${ciOperation(componentInterfaces.vendor, 'Get')} for ${setId}/${vendorId}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, {
    partner: PARTNER,
    operation: ciOperation(componentInterfaces.vendor, 'Get'),
    rawBody: JSON.stringify(got).slice(0, 64 * 1024),
    decision: { retry: false, reason: 'VNDR_ID Get answer lacks fields the supplier sync compares' },
    code: 'PS_UNEXPECTED_RESPONSE',
    hint: 'The VNDR_ID service must return NAME1 and VENDOR_STATUS on Get: ask your PeopleSoft administrator to include them, then replay.',
  });
}

/** PeopleSoft vendors -> JAGGAER supplier profiles (numbered by VENDOR_ID, the supplier's ERP number `extCode`). */
export const psVendorsFlow: FlowFactory = (ctx): FlowRuntime<SupplierInput> => {
  const pair = pairContext(ctx);
  const reads = peopleSoftReads(pair);
  return {
    sourceSystem: 'peoplesoft',
    targetSystem: 'jaggaer',
    direction: 'peoplesoft->jaggaer',
    both: {
      reverseFlow: FLOW_JAGGAER_SUPPLIERS,
      canonical: (record) => vendorNeutral(record.data as VendorRow),
      canonicalPayload: (payload) => supplierNeutral(payload),
    },
    async fetchWindow(from, to) {
      const { rows, invalid } = await pair.peoplesoft.fetchChanged('vendor', { from, to });
      const records: SourceRecord[] = rows.map((row) => ({ key: recordKey('vendor', row.SETID, row.VENDOR_ID), updatedAt: row.LASTUPDDTTM, data: row }));
      for (const bad of invalid) {
        records.push({ key: `vendor:${bad.key.replace('|', '/')}`, updatedAt: from.toISOString(), data: { kind: 'unreadable', entity: 'PeopleSoft vendor', problem: bad.issues, raw: bad.raw } satisfies UnreadableData });
      }
      if (records.length > 0) await pair.jaggaer.authorize();
      return records;
    },
    // CI VNDR_ID Get: the vendor as PeopleSoft holds it now (conflict checks of the way back, replays).
    async fetchOne(key) {
      const parsed = parseRecordKey(key, ['vendor']);
      if (!parsed) return undefined;
      const [setId, vendorId] = parsed.keys as [string, string];
      const got = await reads.vendor(setId, vendorId);
      if (!got) return undefined;
      const row = vendorFromGet(got, setId, vendorId);
      const at = row.LASTUPDDTTM instanceof Date ? row.LASTUPDDTTM.toISOString() : (row.LASTUPDDTTM ?? new Date().toISOString());
      return { key, updatedAt: at, data: { SETID: setId, VENDOR_ID: vendorId, NAME1: row.NAME1, VENDOR_STATUS: row.VENDOR_STATUS, LASTUPDDTTM: at } satisfies VendorRow };
    },
    map(record) {
      const data = record.data as VendorRow | UnreadableData;
      return 'kind' in data ? unreadable(data) : vendorToSupplier(data);
    },
    // GET companyprofiles?flt=EXTCODE==..., then POST operationCode UPDATE or CREATE (bravo-api OperationCode.php):
    // a supplier keyed in JAGGAER by hand with this ERP number is updated in place, never duplicated.
    async create(payload) {
      return { targetId: supplierKey((await pair.jaggaer.upsertSupplier(payload)).id) };
    },
    // POST companyprofiles operationCode UPDATE
    async update(targetId, payload) {
      await pair.jaggaer.updateSupplier(supplierIdOf(targetId), payload);
    },
    // GET companyprofiles?flt=EXTCODE==<VENDOR_ID>
    async findExisting(record) {
      const id = (await pair.jaggaer.findSupplierByNumber((record.data as VendorRow).VENDOR_ID))?.id;
      return id === undefined ? undefined : supplierKey(id);
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
    return recordKey('vendor', payload.SETID, payload.VENDOR_ID);
  };
  const asRecord = (s: JaggaerSupplier): SourceRecord => ({ key: supplierKey(s.id), updatedAt: s.lastModified, data: s });
  return {
    sourceSystem: 'jaggaer',
    targetSystem: 'peoplesoft',
    direction: 'jaggaer->peoplesoft',
    both: {
      reverseFlow: FLOW_PS_VENDORS,
      canonical: (record) => supplierNeutral(record.data as JaggaerSupplier),
      canonicalPayload: (payload) => vendorNeutral(payload),
    },
    async fetchWindow(from, to) {
      return jaggaerWindow(pair.jaggaer.client, 'suppliers', 'jaggaer-supplier', (doc) => toSupplier(doc, pair.jaggaer.client.provider), { from, to });
    },
    // GET companyprofiles?flt=BRAVOID==<id>
    async fetchOne(key) {
      const supplier = await pair.jaggaer.findSupplierById(supplierIdOf(key));
      return supplier ? asRecord(supplier) : undefined;
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
