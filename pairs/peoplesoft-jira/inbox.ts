import type { InboxFactory, InboxRuntime } from '../../activities/flows/types';
import { adfToText } from '../../connectors/jira';
import { PartnerError } from '../../core/partner-error';
import { FLOW_BY_KIND, parseRecordKey, RECORD_PROPERTY, type LogicalField } from './config';
import { pairContext } from './context';
import { jiraFields } from './issue-writer';
import type { IssuePayload } from './map-issues';
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
 * reported as a dead letter naming the fields (`onHandEdit: report`). A deletion is restored on the next write of
 * the document (the update finds the issue gone and creates it again) or reported.
 */
export const peopleSoftJiraInbox: InboxFactory = (ctx): InboxRuntime => {
  const pair = pairContext(ctx);
  return {
    async handle(event) {
      const ref = parseInboxResource(event.resourceId);
      const parsed = ref ? parseRecordKey(ref.recordKey) : undefined;
      if (!ref || !parsed) return { outcome: 'ignored', recordKey: event.resourceId, flow: 'jira-webhook', direction: DIRECTION };
      const base = { recordKey: ref.recordKey, targetId: ref.issueKey, flow: FLOW_BY_KIND[parsed.kind], direction: DIRECTION };
      const report = (code: string, message: string, raw: unknown) =>
        new PartnerError(message, { partner: 'jira', operation: `webhook ${event.kind}`, rawBody: JSON.stringify(raw), decision: { retry: false, reason: 'changed by hand in Jira; this connection reports instead of restoring' }, code, hint: 'Replay to restore PeopleSoft’s values, or set onHandEdit to restore.' });

      // https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-get
      const issue = await pair.jira.getIssue(ref.issueKey, ['*all'], [RECORD_PROPERTY]);
      if (event.kind === 'issue.deleted' || !issue) {
        if (issue) return { ...base, outcome: 'ignored' };
        if (pair.config.onHandEdit === 'report') throw report('JIRA_ISSUE_DELETED', `Jira issue ${ref.issueKey} (${ref.recordKey}) was deleted by hand`, { issueKey: ref.issueKey });
        return { ...base, outcome: 'ignored' };
      }
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
