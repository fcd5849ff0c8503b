import { Router, type Request } from 'express';
import { callerOf } from './auth';
import { selfBase, type SimContext } from './context';
import { badRequest } from './errors';
import { checkFields } from './field-values';
import { statusDetails } from './serialize';
import type { SimIssue } from './store';

/**
 * GET/POST /rest/api/3/issue/{key}/transitions
 * (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-transitions-get):
 * the list holds only the transitions available from the issue's current status; posting one that is not available is
 * Jira's 400 "Transition id 'N' is not valid for this issue."; success is 204 with no body.
 */
export function transitionRoutes(ctx: SimContext, load: (req: Request) => SimIssue): Router {
  const r = Router();
  const { store, clock, webhooks } = ctx;

  r.get('/issue/:issueIdOrKey/transitions', (req, res) => {
    const issue = load(req);
    const base = selfBase(ctx, req);
    const only = typeof req.query.transitionId === 'string' ? req.query.transitionId : undefined;
    const transitions = store
      .availableTransitions(issue)
      .filter((t) => only === undefined || t.id === only)
      .map((t) => ({ id: t.id, name: t.name, to: statusDetails(base, store.statuses.get(t.to)!), hasScreen: false, isGlobal: t.from.length === 0, isInitial: false, isAvailable: true, isConditional: false, isLooped: false }));
    res.json({ expand: 'transitions', transitions });
  });

  r.post('/issue/:issueIdOrKey/transitions', (req, res) => {
    const issue = load(req);
    const body = (req.body ?? {}) as { transition?: { id?: unknown }; fields?: Record<string, unknown>; update?: { comment?: { add?: { body?: unknown } }[] } };
    const id = body.transition?.id;
    if (typeof id !== 'string' && typeof id !== 'number') throw badRequest(['Missing transition id.']);
    const t = store.availableTransitions(issue).find((x) => x.id === String(id));
    if (!t) throw badRequest([`Transition id '${String(id)}' is not valid for this issue.`]);
    const checked = checkFields(store, body.fields ?? {});
    if (Object.keys(checked.errors).length > 0) throw badRequest([], checked.errors);
    Object.assign(issue.fields, checked.values);
    issue.statusId = t.to;
    issue.updatedMs = clock.nowMs();
    webhooks.issueEvent('jira:issue_updated', issue, callerOf(res).accountId, ['status', ...Object.keys(checked.values)]);
    res.status(204).end();
  });
  return r;
}
