import type { SourceRecord } from '../../activities/flows/types';
import type { PeopleSoftRow } from '../../connectors/peoplesoft';
import { firstSyncFrom, recordKey, WINDOW_OVERLAP_MS, type DocumentKind } from './config';
import type { PairContext } from './context';
import type { DocumentData, VendorRow } from './map-issues';

const ID_FIELD: Record<DocumentKind, string> = { purchaseOrder: 'PO_ID', requisition: 'REQ_ID', voucher: 'VOUCHER_ID' };
/** Requisition headers name no vendor (REQ_HDR), so a vendor change never re-renders a requisition's issue. */
const NAMES_VENDOR: Record<DocumentKind, boolean> = { purchaseOrder: true, requisition: false, voucher: true };
/** Vendor master data is read over this span (vendors change rarely; the inquiry splits at its row cap). */
const VENDOR_SINCE = new Date('2000-01-01T00:00:00Z');

type Row = Record<string, unknown>;
const vendorKeyOf = (r: Row) => (r.VENDOR_ID ? `${String(r.VENDOR_SETID ?? 'SHARE')}|${String(r.VENDOR_ID)}` : undefined);

/**
 * Every vendor the given documents name, read once per activity from PeopleSoft's vendor inquiry
 * (`MLC_VENDOR_SYNC_GET`): their master data is shown on each issue.
 */
async function vendorsFor(pair: PairContext, rows: Row[]): Promise<Map<string, VendorRow>> {
  const wanted = new Set(rows.map(vendorKeyOf).filter((k): k is string => k !== undefined));
  const out = new Map<string, VendorRow>();
  if (wanted.size === 0) return out;
  const { rows: vendors } = await pair.peoplesoft.fetchChanged('vendor', { from: VENDOR_SINCE, to: new Date() });
  for (const v of vendors) if (wanted.has(`${v.SETID}|${v.VENDOR_ID}`)) out.set(`${v.SETID}|${v.VENDOR_ID}`, v);
  return out;
}

function toRecords(kind: DocumentKind, rows: Row[], vendors: Map<string, VendorRow>): SourceRecord[] {
  return rows.map((r) => {
    const vendorKey = vendorKeyOf(r);
    const vendor = vendorKey ? vendors.get(vendorKey) : undefined;
    const data = { kind, row: r as PeopleSoftRow<DocumentKind>, ...(vendor ? { vendor } : {}) } as DocumentData;
    return { key: recordKey(kind, String(r.BUSINESS_UNIT), String(r[ID_FIELD[kind]])), updatedAt: String(r.LASTUPDDTTM), data };
  });
}

/**
 * The documents of one window, as records: the ones PeopleSoft changed in [from, to), plus every document (synced
 * since the first window) of a vendor whose master data changed in [from, to). A vendor change alone does not touch
 * its documents' LASTUPDDTTM, yet their issues show its name, address and terms: re-mapping them here lets the
 * engine's payload hash write exactly the issues whose rendering changed, with the same links, audit and crash
 * safety as any document write. Rows that fail the schema become records too, so they are dead-lettered with the
 * reason instead of vanishing.
 */
export async function readDocumentWindow(pair: PairContext, kind: DocumentKind, from: Date, to: Date, connectionCreatedAt: Date): Promise<SourceRecord[]> {
  const { rows, invalid } = await pair.peoplesoft.fetchChanged(kind, { from, to });
  const all = rows as Row[];
  const firstFrom = Date.parse(firstSyncFrom(pair.config, connectionCreatedAt));
  const syncedFrom = new Date(firstFrom - WINDOW_OVERLAP_MS);
  // The first window already holds every document since the start: nothing before it has an issue to refresh.
  if (NAMES_VENDOR[kind] && from.getTime() > firstFrom) {
    const { rows: changedVendors } = await pair.peoplesoft.fetchChanged('vendor', { from, to });
    const changed = new Set(changedVendors.map((v) => `${v.SETID}|${v.VENDOR_ID}`));
    if (changed.size > 0) {
      // Each document once: a document changed in this window is already in `rows`.
      const seen = new Set(all.map((r) => String(r[ID_FIELD[kind]]) + '|' + String(r.BUSINESS_UNIT)));
      const earlier = (await pair.peoplesoft.fetchChanged(kind, { from: syncedFrom, to: from })).rows as Row[];
      for (const r of earlier) {
        const vendorKey = vendorKeyOf(r);
        if (vendorKey && changed.has(vendorKey) && !seen.has(String(r[ID_FIELD[kind]]) + '|' + String(r.BUSINESS_UNIT))) all.push(r);
      }
    }
  }
  const records = toRecords(kind, all, await vendorsFor(pair, all));
  for (const bad of invalid) {
    const raw = (bad.raw ?? {}) as Row;
    const [bu, id] = bad.key.split('|');
    records.push({
      key: recordKey(kind, bu || '?', id || '?'),
      updatedAt: typeof raw.LASTUPDDTTM === 'string' ? raw.LASTUPDDTTM : from.toISOString(),
      data: { kind: 'invalid', object: kind, issues: bad.issues, raw: bad.raw } satisfies DocumentData,
    });
  }
  return records;
}

/**
 * Every document of the kind synced since the first window, by record key, to read single documents again (restore
 * an issue deleted by hand, replay a dead letter after a fix in PeopleSoft). The inquiries only filter by
 * LASTUPDDTTM, so this reads the span once per activity (it splits at the row cap); callers keep the promise.
 */
export async function readDocumentIndex(pair: PairContext, kind: DocumentKind, connectionCreatedAt: Date): Promise<Map<string, SourceRecord>> {
  const from = new Date(Date.parse(firstSyncFrom(pair.config, connectionCreatedAt)) - WINDOW_OVERLAP_MS);
  // A minute past now: the inquiry bound is exclusive and PeopleSoft's clock may run ahead of ours.
  const { rows } = await pair.peoplesoft.fetchChanged(kind, { from, to: new Date(Date.now() + 60_000) });
  return new Map(toRecords(kind, rows as Row[], await vendorsFor(pair, rows as Row[])).map((r) => [r.key, r]));
}
