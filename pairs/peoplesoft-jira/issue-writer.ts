import { adfToText, textToAdf } from '../../connectors/jira';
import { isPartnerError, PartnerError } from '../../core/partner-error';
import { RECORD_PROPERTY, type LogicalField } from './config';
import type { PairContext, SiteIds } from './context';
import type { IssuePayload } from './map-issues';

/** Clock skew tolerated between our database and Jira when bounding a lost-create search. */
const CLOCK_SKEW_MARGIN_MS = 10 * 60_000;
/** A restored issue is searched this far back: the deletion may be long after the issue was created. */
export const RESTORE_LOOKBACK_MS = 400 * 86_400_000;

/** Jira field id -> value, from the payload (rich text as ADF, the rest as the text Jira shows). */
export function jiraFields(payload: IssuePayload, ids: SiteIds): Record<string, unknown> {
  const out: Record<string, unknown> = { summary: payload.summary, description: textToAdf(payload.description), duedate: payload.dueDate };
  for (const [logical, value] of Object.entries(payload.fields) as [LogicalField, string | null][]) {
    const id = ids.fields[logical];
    if (logical === 'externalKey') continue;
    out[id] = value === null ? null : logical === 'vendorDetails' ? textToAdf(value) : logical === 'approvalStatus' ? { value } : value;
  }
  return out;
}

/** What we wrote, kept in the issue property: what a hand edit is compared with and restored from. */
export function snapshotOf(payload: IssuePayload): Record<string, unknown> {
  return { summary: payload.summary, fields: payload.fields, dueDate: payload.dueDate };
}

const marker = (id: string) => `[PeopleSoft comment ${id}]`;

/**
 * Creates, updates, moves and comments one issue. Each step is idempotent given what Jira already holds: edits set
 * values, the status walk starts from the current status, and comments carry a marker so a retried write (or a
 * crash between posting and linking) never posts one twice.
 */
export function issueWriter(pair: PairContext) {
  const { jira, config } = pair;

  async function finish(key: string, payload: IssuePayload, currentStatus: string | undefined): Promise<void> {
    await jira.moveToStatus(key, payload.targetStatus, config.via[payload.targetStatus] ?? [], currentStatus);
    if (payload.comments.length === 0) return;
    const existing = (await jira.listComments(key)).map((c) => adfToText(c.body)).join('\n');
    for (const c of payload.comments) {
      // https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-comments/#api-rest-api-3-issue-issueidorkey-comment-post
      if (!existing.includes(marker(c.id))) await jira.addComment(key, `${c.text}\n${marker(c.id)}`);
    }
  }

  async function create(payload: IssuePayload, externalKey: string): Promise<string> {
    const ids = await pair.siteIds();
    // https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-post
    const created = await jira.createIssue({
      issueTypeId: ids.issueTypes[payload.kind],
      summary: payload.summary,
      fields: jiraFields(payload, ids),
      externalKey,
      keyFieldId: ids.fields.externalKey,
      propertyKey: RECORD_PROPERTY,
      propertyValue: { snapshot: snapshotOf(payload) },
    });
    await finish(created.key, payload, undefined);
    return created.key;
  }

  async function find(externalKey: string, since: Date): Promise<string | undefined> {
    const ids = await pair.siteIds();
    // https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-search/#api-rest-api-3-search-jql-post
    return (await jira.findIssueByExternalKey(ids.fields.externalKey, externalKey, since))?.key;
  }

  /** Returns the issue written when it is not `issueKey` (that one was deleted by hand and restored). */
  async function update(issueKey: string, payload: IssuePayload, externalKey: string): Promise<string | undefined> {
    const ids = await pair.siteIds();
    try {
      // https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-put
      await jira.editIssue(issueKey, jiraFields(payload, ids), { properties: [{ key: RECORD_PROPERTY, value: { externalKey, snapshot: snapshotOf(payload) } }] });
    } catch (err) {
      if (!isPartnerError(err) || err.status !== 404) throw err;
      // Deleted by hand in Jira. Restore: the issue a previous restore created, else a new one from PeopleSoft's data.
      if (config.onHandEdit === 'report') {
        throw new PartnerError(`jira issue ${issueKey} of ${externalKey} was deleted in Jira`, {
          partner: 'jira',
          operation: 'PUT /rest/api/3/issue/{key}',
          status: 404,
          rawBody: err.rawBody,
          decision: { retry: false, reason: 'issue deleted by hand; this connection reports instead of restoring' },
          code: 'JIRA_ISSUE_DELETED',
          hint: 'Set onHandEdit to restore, then replay this record to re-create the issue.',
        });
      }
      const restored = await find(externalKey, new Date(Date.now() - RESTORE_LOOKBACK_MS));
      if (restored && restored !== issueKey) return (await update(restored, payload, externalKey)) ?? restored;
      return create(payload, externalKey);
    }
    const issue = await jira.getIssue(issueKey, ['status']);
    const status = (issue?.fields?.status as { name?: string } | undefined)?.name;
    await finish(issueKey, payload, status);
    return undefined;
  }

  return { create, update, find, lostCreateSince: (intentAt: Date) => new Date(intentAt.getTime() - CLOCK_SKEW_MARGIN_MS) };
}
