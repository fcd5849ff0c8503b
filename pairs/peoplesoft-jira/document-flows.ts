import type { FlowFactory, FlowRuntime } from '../../activities/flows/types';
import { parseRecordKey, type DocumentKind } from './config';
import { pairContext } from './context';
import { readDocumentIndex, readDocumentWindow } from './document-reader';
import { issueWriter } from './issue-writer';
import { mapDocument, type IssuePayload } from './map-issues';

/**
 * PeopleSoft documents of one kind -> Jira issues. Natural keys (business unit + id) make overlapping windows safe:
 * a document synced before updates its issue. A window also brings back the documents of vendors changed in it, so
 * vendor master data on the issues is refreshed when the vendor changes (see document-reader.ts).
 */
function documentFlow(kind: DocumentKind): FlowFactory {
  return (ctx): FlowRuntime<IssuePayload> => {
    const pair = pairContext(ctx);
    const writer = issueWriter(pair);
    let index: ReturnType<typeof readDocumentIndex> | undefined;
    return {
      sourceSystem: 'peoplesoft',
      targetSystem: 'jira',
      direction: 'peoplesoft->jira',
      async fetchWindow(from, to) {
        const records = await readDocumentWindow(pair, kind, from, to, ctx.connection.created_at);
        // A refused grant or a missing custom field fails here once, not on every record's first write.
        if (records.length > 0) await pair.jira.authorize();
        return records;
      },
      map: (record) => mapDocument(pair.config, record),
      async create(payload, record) {
        return { targetId: await writer.create(payload, record.key) };
      },
      async update(targetId, payload, record) {
        const moved = await writer.update(targetId, payload, record.key);
        return moved ? { targetId: moved } : undefined;
      },
      async findExisting(record, { intentAt }) {
        return writer.find(record.key, writer.lostCreateSince(intentAt));
      },
      /** Replay re-reads the document from PeopleSoft (after a fix there), one read of the kind per replay. */
      async fetchOne(key) {
        if (parseRecordKey(key)?.kind !== kind) return undefined;
        index ??= readDocumentIndex(pair, kind, ctx.connection.created_at);
        return (await index).get(key);
      },
    };
  };
}

export const purchaseOrderFlow = documentFlow('purchaseOrder');
export const requisitionFlow = documentFlow('requisition');
export const voucherFlow = documentFlow('voucher');
