import { type RunningJiraSimulator } from '../../simulators/jira';
import type { PartnerRecord, RecordState, ReturnPathSurface } from '../../test/faults/kit/fault-fixture';
import { webhookTarget } from './webhook-housekeeping';

type Json = Record<string, unknown>;

/** Every fifth decision deletes the issue; the others edit its summary and Document Number by hand. */
const DELETE_EVERY = 5;
const ISSUE_PUT = /^\/rest\/api\/3\/issue\/([A-Z][A-Z0-9]*-\d+)$/;
const ISSUE_POST = '/rest/api/3/issue';

/**
 * R1 on the return path of PeopleSoft -> Jira. Nothing flows back to PeopleSoft in this pair (pairs/peoplesoft-jira/
 * inbox.ts): its webhook-driven writes go to Jira itself, restoring what a person changed by hand (onHandEdit
 * restore, the default): an edited issue gets its summary and Document Number back, a deleted one is re-created from
 * PeopleSoft. A customer's admin webhook (Basic-auth connections: dynamic webhooks are for OAuth apps) points at the
 * suite's API, signed with the connection's `jiraWebhook` secret. Each decided issue must end as we last wrote it,
 * restored by exactly one write (the inbox compares with the issue's snapshot, or searches for a live issue with the
 * key, before writing, so a retried attempt after a kill finds the restore done), and no deleted issue re-created twice.
 */
export async function jiraReturnPath(opts: { connectionId: string; apiUrl: string; hookSecret: string; projectKey: string; jira: RunningJiraSimulator }): Promise<ReturnPathSurface> {
  const { jira } = opts;
  // https://developer.atlassian.com/cloud/jira/platform/webhooks/#registering-a-webhook-via-the-jira-administration-ui
  await jira.admin.createAdminWebhook({ url: webhookTarget(opts.apiUrl, opts.connectionId), events: ['jira:issue_updated', 'jira:issue_deleted'], secret: opts.hookSecret, jqlFilter: `project = ${opts.projectKey}` });
  const baseline = (await jira.admin.requests()).reduce((max, r) => Math.max(max, r.seq), 0);
  const fieldId = (name: string) => jira.world.customFields.find((f) => f.name === name)!.id;
  const keyField = fieldId('External Key');
  const numberField = fieldId('Document Number');
  /** Per decided record key: the issue it had and what we had written to it (summary, number). */
  const decided = new Map<string, { issueKey: string; summary: unknown; number: unknown }>();
  const recordKeyOf = (issue: { fields: Json }) => issue.fields[keyField];

  return {
    writes: 'Jira issues restored after hand edits and deletions (the pair writes nothing back to PeopleSoft)',
    live: async () => (await jira.admin.webhooks()).admin.length > 0,
    async decide(count) {
      const open = (await jira.admin.issues()).filter((i) => typeof recordKeyOf(i) === 'string' && !decided.has(String(recordKeyOf(i))));
      if (open.length < count) throw new Error(`only ${open.length} undecided issues left for ${count} hand changes`);
      const keys: string[] = [];
      for (const issue of open.slice(0, count)) {
        const key = String(recordKeyOf(issue));
        decided.set(key, { issueKey: issue.key, summary: issue.fields.summary, number: issue.fields[numberField] ?? null });
        if (decided.size % DELETE_EVERY === 0) await jira.admin.deleteIssue(issue.key);
        else await jira.admin.editIssue(issue.key, { summary: `${String(issue.fields.summary)} (edited by hand)`, [numberField]: 'EDITED' });
        keys.push(key);
      }
      return keys;
    },
    async expected(): Promise<RecordState[]> {
      return [...decided].map(([key, d]) => ({ key, fields: { summary: String(d.summary), number: d.number === null ? null : String(d.number) } }));
    },
    async actual(): Promise<PartnerRecord[]> {
      return (await jira.admin.issues()).flatMap((i) => {
        const key = recordKeyOf(i);
        if (typeof key !== 'string' || !decided.has(key)) return [];
        const number = i.fields[numberField];
        return [{ key, targetId: i.key, fields: { summary: String(i.fields.summary), number: number === null || number === undefined ? null : String(number) } }];
      });
    },
    async writeCounts() {
      const byIssue = new Map([...decided].map(([key, d]) => [d.issueKey, key]));
      const out = new Map<string, number>();
      const add = (key: string) => out.set(key, (out.get(key) ?? 0) + 1);
      for (const r of await jira.admin.requests(baseline)) {
        if (r.status === null || r.status >= 300) continue;
        const put = r.method === 'PUT' ? ISSUE_PUT.exec(r.path) : null;
        if (put) add(byIssue.get(put[1]!) ?? `PUT ${put[1]!}`);
        // A re-created issue: the create carries the record key in its External Key field.
        if (r.method === 'POST' && r.path === ISSUE_POST) add(String(((r.body as { fields?: Json } | null)?.fields ?? {})[keyField] ?? 'POST without a key'));
      }
      return out;
    },
  };
}
