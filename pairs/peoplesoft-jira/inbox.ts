import { MappingError, type InboxFactory, type InboxRuntime } from '../../activities/flows/types';
import { adfToText } from '../../connectors/jira';
import { PartnerError } from '../../core/partner-error';
import { FLOW_BY_KIND, parseRecordKey, RECORD_PROPERTY, type DocumentKind, type LogicalField } from './config';
import { pairContext } from './context';
import { readDocumentIndex } from './document-reader';
import { issueWriter, jiraFields, RESTORE_LOOKBACK_MS } from './issue-writer';
import { mapDocument, type IssuePayload } from './map-issues';
import { parseInboxResource } from './webhook-receiver';

const DIRECTION = 'jira->jira';

interface Snapshot {
  summary: string;
  fields: Partial<Record<LogicalField, string | null>>;
  dueDate: string | null;
}

/** The text Jira shows for a field value we wrote (options by value, ADF as text). */
function shown(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'object' && 'value' in (value as object)) return String((value as { value: unknown }).value);
  if (typeof value === 'object') return adfToText(value);
  return String(value);
}

/**
 * The return path of 'peoplesoft-jira': no data flows back to PeopleSoft. A delivery about one of our issues is
 * compared with what we last wrote (the `mlc.record` property): fields edited by hand are restored from it, or
 * reported as a dead letter naming the fields (`onHandEdit: report`). A deleted issue is re-created from PeopleSoft
 * at once, or reported.
 */
export const peopleSoftJiraInbox: InboxFactory = (ctx): InboxRuntime => {
  const pair = pairContext(ctx);
  const writer = issueWriter(pair);

  /**
   * A hand-deleted issue, re-created from PeopleSoft's current document at once (not at the document's next change,
   * which may never come). Idempotent: a live issue already carrying our key (an earlier delivery, a crash after the
   * create) is kept. Its record link names the deleted key until the document is next written: that write finds
   * the restored issue by the same key search and moves the link to it (issue-writer.ts).
   */
  async function restoreDeleted(recordKey: string, kind: DocumentKind): Promise<{ issueKey: string; created: boolean }> {
    const live = await writer.find(recordKey, new Date(Date.now() - RESTORE_LOOKBACK_MS));
    if (live) return { issueKey: live, created: false };
    const record = (await readDocumentIndex(pair, kind, ctx.connection.created_at)).get(recordKey);
    const refuse = (message: string) =>
      new PartnerError(message, { partner: 'jira', operation: 'webhook issue.deleted', decision: { retry: false, reason: 'the deleted issue cannot be rebuilt from PeopleSoft' }, code: 'JIRA_ISSUE_DELETED', hint: 'Fix the document in PeopleSoft: its next write re-creates the issue.' });
    if (!record) throw refuse(`Jira issue of ${recordKey} was deleted by hand and the document is no longer in PeopleSoft's inquiry`);
    let payload: IssuePayload;
    try {
      payload = mapDocument(pair.config, record);
    } catch (err) {
      if (err instanceof MappingError) throw refuse(`Jira issue of ${recordKey} was deleted by hand and cannot be re-created: ${err.message}`);
      throw err;
    }
    return { issueKey: await writer.create(payload, recordKey), created: true };
  }

  return {
    async handle(event) {
      const ref = parseInboxResource(event.resourceId);
      const parsed = ref ? parseRecordKey(ref.recordKey) : undefined;
      if (!ref || !parsed) return { outcome: 'ignored', recordKey: event.resourceId, flow: 'jira-webhook', direction: DIRECTION };
      const base = { recordKey: ref.recordKey, targetId: ref.issueKey, flow: FLOW_BY_KIND[parsed.kind], direction: DIRECTION };
      const report = (code: string, message: string, raw: unknown) =>
        new PartnerError(message, { partner: 'jira', operation: `webhook ${event.kind}`, rawBody: JSON.stringify(raw), decision: { retry: false, reason: 'changed by hand in Jira; this connection reports instead of restoring' }, code, hint: 'Set onHandEdit to restore: the next write of this document from PeopleSoft puts its values back (or re-creates the issue).' });

      // https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-get
      const issue = await pair.jira.getIssue(ref.issueKey, ['*all'], [RECORD_PROPERTY]);
      if (!issue) {
        if (pair.config.onHandEdit === 'report') throw report('JIRA_ISSUE_DELETED', `Jira issue ${ref.issueKey} (${ref.recordKey}) was deleted by hand`, { issueKey: ref.issueKey });
        const restored = await restoreDeleted(ref.recordKey, parsed.kind);
        return { ...base, outcome: restored.created ? 'applied' : 'already_applied', targetId: restored.issueKey };
      }
      // A deletion delivered for an issue that still exists (restored meanwhile): nothing to do.
      if (event.kind === 'issue.deleted') return { ...base, outcome: 'ignored' };
      const snapshot = (issue.properties?.[RECORD_PROPERTY] as { snapshot?: Snapshot } | undefined)?.snapshot;
      if (!snapshot) return { ...base, outcome: 'ignored' };
      const ids = await pair.siteIds();
      const edited: string[] = [];
      if (shown(issue.fields?.summary) !== snapshot.summary) edited.push('summary');
      for (const [logical, value] of Object.entries(snapshot.fields) as [LogicalField, string | null][]) {
        if (logical === 'externalKey') continue;
        if (shown(issue.fields?.[ids.fields[logical]]) !== value) edited.push(logical);
      }
      if (edited.length === 0) return { ...base, outcome: 'already_applied' };
      if (pair.config.onHandEdit === 'report') throw report('JIRA_HAND_EDIT', `Jira issue ${ref.issueKey} (${ref.recordKey}): ${edited.join(', ')} edited by hand`, { issueKey: ref.issueKey, edited });
      const payload = { kind: parsed.kind, summary: snapshot.summary, description: adfToText(issue.fields?.description), fields: snapshot.fields, dueDate: snapshot.dueDate } as IssuePayload;
      const restore = jiraFields(payload, ids);
      // Only what was edited is written back: the description and due date are not compared (a note added by hand is fine).
      const fields = Object.fromEntries(Object.entries(restore).filter(([id]) => edited.some((e) => (e === 'summary' ? id === 'summary' : ids.fields[e as LogicalField] === id))));
      // https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-put
      await pair.jira.editIssue(ref.issueKey, fields);
      return { ...base, outcome: 'applied' };
    },
  };
};
