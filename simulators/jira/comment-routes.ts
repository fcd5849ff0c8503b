import { Router, type Request } from 'express';
import { isAdfDoc } from './adf';
import { callerOf } from './auth';
import { selfBase, type SimContext } from './context';
import { fieldError } from './errors';
import { jiraTime } from './serialize';
import type { SimComment, SimIssue } from './store';

/**
 * Issue comments in ADF (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-comments/):
 * POST answers 201 with the Comment; a body that is not an ADF document is refused with
 * `400 {"errorMessages":[],"errors":{"comment":"Comment body is not valid!"}}` (what Jira Cloud answers a v2-style
 * string body, e.g. lesstif/php-jira-rest-client#412, pchuri/jira-cli#38). GET pages with startAt/maxResults/total.
 */
export function commentRoutes(ctx: SimContext, load: (req: Request) => SimIssue): Router {
  const r = Router();
  const { store, clock, webhooks } = ctx;

  const view = (base: string, issue: SimIssue, c: SimComment) => {
    const u = store.users.get(c.authorId);
    const author = { accountId: c.authorId, displayName: u?.displayName ?? 'App user', active: true, self: `${base}/rest/api/3/user?accountId=${c.authorId}` };
    return { self: `${base}/rest/api/3/issue/${issue.id}/comment/${c.id}`, id: c.id, author, updateAuthor: author, body: c.body, created: jiraTime(c.createdMs), updated: jiraTime(c.updatedMs), jsdPublic: true };
  };

  r.post('/issue/:issueIdOrKey/comment', (req, res) => {
    const issue = load(req);
    const body = (req.body as { body?: unknown } | undefined)?.body;
    if (!isAdfDoc(body)) throw fieldError('comment', 'Comment body is not valid!');
    const now = clock.nowMs();
    const comment: SimComment = { id: store.nextId(), body, authorId: callerOf(res).accountId, createdMs: now, updatedMs: now };
    issue.comments.push(comment);
    const out = view(selfBase(ctx, req), issue, comment);
    webhooks.commentEvent(issue, out, callerOf(res).accountId);
    res.status(201).json(out);
  });

  r.get('/issue/:issueIdOrKey/comment', (req, res) => {
    const issue = load(req);
    const startAt = Math.max(0, Number(req.query.startAt ?? 0) || 0);
    const maxResults = Math.min(5000, Math.max(1, Number(req.query.maxResults ?? 5000) || 5000));
    const page = issue.comments.slice(startAt, startAt + maxResults).map((c) => view(selfBase(ctx, req), issue, c));
    res.json({ startAt, maxResults, total: issue.comments.length, comments: page });
  });
  return r;
}
