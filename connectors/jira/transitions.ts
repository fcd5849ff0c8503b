import { PartnerError } from '../../core/partner-error';
import type { JiraClient } from './client';
import { getIssue } from './edit-issue';
import { JIRA } from './provider';
import { anyBody, transitionsSchema, type JiraTransition } from './schemas';

/**
 * `GET /rest/api/3/issue/{key}/transitions` lists the transitions available from where the issue stands; ids differ
 * per workflow, so we never hard-code them (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-transitions-get).
 */
export async function getTransitions(client: JiraClient, issueKey: string): Promise<JiraTransition[]> {
  const res = await client.send(
    { operation: 'GET /rest/api/3/issue/{key}/transitions', method: 'GET', path: `/rest/api/3/issue/${encodeURIComponent(issueKey)}/transitions` },
    transitionsSchema,
  );
  return res.body.transitions;
}

/** https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-get */
async function statusOf(client: JiraClient, issueKey: string): Promise<string | undefined> {
  return ((await getIssue(client, issueKey, ['status']))?.fields?.status as { name?: string } | undefined)?.name;
}

export type TransitionOutcome = { moved: true; transitionId: string } | { moved: false; already: true };

/**
 * Moves the issue to the status named `target` (case-insensitive) with the one transition that leads there from its
 * current status (`POST .../transitions`, 204). When the issue is already there nothing is sent. When no available
 * transition leads there, a permanent PartnerError `JIRA_STATUS_UNREACHABLE` names the target and what is reachable:
 * retrying cannot help until someone moves the issue or changes the workflow.
 */
export async function transitionToStatus(client: JiraClient, issueKey: string, target: string, currentStatus?: string): Promise<TransitionOutcome> {
  if (currentStatus !== undefined && currentStatus.toLowerCase() === target.toLowerCase()) return { moved: false, already: true };
  const available = await getTransitions(client, issueKey);
  const t = available.find((x) => x.to.name.toLowerCase() === target.toLowerCase());
  if (!t) {
    const reachable = available.map((x) => x.to.name).join(', ') || 'none';
    throw new PartnerError(`jira transition ${issueKey}: status '${target}' is not reachable from the issue's current status (reachable: ${reachable})`, {
      partner: JIRA,
      operation: 'POST /rest/api/3/issue/{key}/transitions',
      rawBody: JSON.stringify({ target, available: available.map((x) => ({ id: x.id, name: x.name, to: x.to.name })) }),
      decision: { retry: false, reason: 'target status not reachable by any available transition' },
      code: 'JIRA_STATUS_UNREACHABLE',
      hint: `Add a transition to '${target}' in the Jira workflow, or move ${issueKey} by hand to a status from which '${target}' can be reached.`,
    });
  }
  await client.send(
    { operation: 'POST /rest/api/3/issue/{key}/transitions', method: 'POST', path: `/rest/api/3/issue/${encodeURIComponent(issueKey)}/transitions`, body: { transition: { id: t.id } }, issue: issueKey },
    anyBody,
  );
  return { moved: true, transitionId: t.id };
}

/**
 * Walks the workflow to `target` when no single transition leads there from the current status: at each step the
 * direct transition wins, else the first available one into a `via` status not visited yet (workflow data the pair
 * declares, e.g. Open -> Pending Approval -> Approved). Ends with transitionToStatus's JIRA_STATUS_UNREACHABLE when
 * neither is available, so an impossible target is reported once, not retried.
 */
export async function moveToStatus(client: JiraClient, issueKey: string, target: string, via: string[], currentStatus?: string): Promise<string[]> {
  if (currentStatus !== undefined && currentStatus.toLowerCase() === target.toLowerCase()) return [];
  const taken: string[] = [];
  const visited = new Set<string>(currentStatus ? [currentStatus.toLowerCase()] : []);
  for (let hop = 0; hop <= via.length; hop += 1) {
    const available = await getTransitions(client, issueKey);
    const direct = available.find((x) => x.to.name.toLowerCase() === target.toLowerCase());
    const step = direct ?? via.map((v) => available.find((x) => x.to.name.toLowerCase() === v.toLowerCase() && !visited.has(v.toLowerCase()))).find((x) => x !== undefined);
    if (!step) {
      // Not told where the issue stands (just created: it starts in its workflow's initial status, which the create
      // answer does not name): when nothing leads to the target, the issue may already be there.
      if (hop === 0 && currentStatus === undefined && (await statusOf(client, issueKey))?.toLowerCase() === target.toLowerCase()) return [];
      break;
    }
    await client.send(
      { operation: 'POST /rest/api/3/issue/{key}/transitions', method: 'POST', path: `/rest/api/3/issue/${encodeURIComponent(issueKey)}/transitions`, body: { transition: { id: step.id } }, issue: issueKey },
      anyBody,
    );
    taken.push(step.id);
    if (step === direct) return taken;
    visited.add(step.to.name.toLowerCase());
  }
  await transitionToStatus(client, issueKey, target);
  return taken;
}
