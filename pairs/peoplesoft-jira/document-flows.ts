import type { FlowFactory, FlowRuntime, SourceRecord } from '../../activities/flows/types';
import type { PeopleSoftObject } from '../../connectors/peoplesoft';
import { recordKey, type DocumentKind } from './config';
import { pairContext, type PairContext } from './context';
import { issueWriter } from './issue-writer';
import { mapDocument, type DocumentData, type IssuePayload, type VendorRow } from './map-issues';

const ID_FIELD: Record<DocumentKind, string> = { purchaseOrder: 'PO_ID', requisition: 'REQ_ID', voucher: 'VOUCHER_ID' };
/** Vendor master data is read over this span (vendors change rarely; the inquiry splits at its row cap). */
const VENDOR_SINCE = new Date('2000-01-01T00:00:00Z');

/**
 * Every vendor the documents of one window name, read once per activity from PeopleSoft's vendor inquiry
 * (`MLC_VENDOR_SYNC_GET`): their data is shown on each issue and refreshed whenever the issue is written.
 */
async function vendorsFor(pair: PairContext, rows: Record<string, unknown>[]): Promise<Map<string, VendorRow>> {
  const wanted = new Set(rows.map((r) => `${String(r.VENDOR_SETID ?? 'SHARE')}|${String(r.VENDOR_ID ?? '')}`).filter((k) => !k.endsWith('|')));
  const out = new Map<string, VendorRow>();
  if (wanted.size === 0) return out;
  const { rows: vendors } = await pair.peoplesoft.fetchChanged('vendor', { from: VENDOR_SINCE, to: new Date() });
  for (const v of vendors) if (wanted.has(`${v.SETID}|${v.VENDOR_ID}`)) out.set(`${v.SETID}|${v.VENDOR_ID}`, v);
  return out;
}

/**
 * PeopleSoft documents of one kind -> Jira issues. Natural keys (business unit + id) make overlapping windows safe:
 * a document synced before updates its issue. Rows that fail the schema become records too, so they are
 * dead-lettered with the reason instead of vanishing.
 */
function documentFlow(kind: DocumentKind): FlowFactory {
  return (ctx): FlowRuntime<IssuePayload> => {
    const pair = pairContext(ctx);
    const writer = issueWriter(pair);
    return {
      sourceSystem: 'peoplesoft',
      targetSystem: 'jira',
      direction: 'peoplesoft->jira',
      async fetchWindow(from, to) {
        const object: PeopleSoftObject = kind;
        const { rows, invalid } = await pair.peoplesoft.fetchChanged(object, { from, to });
        const vendors = await vendorsFor(pair, rows as Record<string, unknown>[]);
        const records: SourceRecord[] = rows.map((row) => {
          const r = row as Record<string, unknown>;
          const vendor = vendors.get(`${String(r.VENDOR_SETID ?? 'SHARE')}|${String(r.VENDOR_ID ?? '')}`);
          const data = { kind, row, ...(vendor ? { vendor } : {}) } as DocumentData;
          return { key: recordKey(kind, String(r.BUSINESS_UNIT), String(r[ID_FIELD[kind]])), updatedAt: String(r.LASTUPDDTTM), data };
        });
        for (const bad of invalid) {
          const raw = (bad.raw ?? {}) as Record<string, unknown>;
          const [bu, id] = bad.key.split('|');
          records.push({
            key: recordKey(kind, bu || '?', id || '?'),
            updatedAt: typeof raw.LASTUPDDTTM === 'string' ? raw.LASTUPDDTTM : from.toISOString(),
            data: { kind: 'invalid', object: kind, issues: bad.issues, raw: bad.raw } satisfies DocumentData,
          });
        }
        // A refused grant or a missing custom field fails here once, not on every record's first write.
        if (records.length > 0) await pair.jira.authorize();
        return records;
      },
      map: (record) => mapDocument(pair.config, record),
      async create(payload, record) {
        return { targetId: await writer.create(payload, record.key) };
      },
      async update(targetId, payload, record) {
        await writer.update(targetId, payload, record.key);
      },
      async findExisting(record, { intentAt }) {
        return writer.find(record.key, writer.lostCreateSince(intentAt));
      },
    };
  };
}

export const purchaseOrderFlow = documentFlow('purchaseOrder');
export const requisitionFlow = documentFlow('requisition');
export const voucherFlow = documentFlow('voucher');
