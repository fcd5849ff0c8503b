import { Router } from 'express';
import { callerOf } from './auth';
import { selfBase, type SimContext } from './context';
import { JiraHttpError } from './errors';
import { fieldDetails, statusDetails } from './serialize';

/**
 * Read-only metadata: GET /rest/api/3/field (every system and custom field, spec getFields), GET /project/{key}
 * (spec getProject, with its issue types), GET /project/{key}/statuses (spec getAllStatuses), GET /myself (spec getCurrentUser).
 */
export function metaRoutes(ctx: SimContext): Router {
  const r = Router();
  const { store } = ctx;

  r.get('/field', (_req, res) => void res.json([...store.fields.values()].map(fieldDetails)));

  r.get('/project/:projectIdOrKey', (req, res) => {
    const p = store.project(req.params.projectIdOrKey);
    if (!p) throw new JiraHttpError(404, ['No project could be found with key \'' + req.params.projectIdOrKey + "'."]);
    const base = selfBase(ctx, req);
    res.json({
      self: `${base}/rest/api/3/project/${p.id}`,
      id: p.id,
      key: p.key,
      name: p.name,
      issueTypes: p.issueTypeIds.map((id) => ({ self: `${base}/rest/api/3/issuetype/${id}`, id, name: store.issueTypes.get(id)?.name ?? '', subtask: false })),
    });
  });

  // Spec getAllStatuses: each issue type of the project with the statuses of its workflow.
  r.get('/project/:projectIdOrKey/statuses', (req, res) => {
    const p = store.project(req.params.projectIdOrKey);
    if (!p) throw new JiraHttpError(404, ["No project could be found with key '" + req.params.projectIdOrKey + "'."]);
    const base = selfBase(ctx, req);
    res.json(
      p.issueTypeIds.map((id) => {
        const type = store.issueTypes.get(id)!;
        const wf = store.workflows.get(type.workflow)!;
        const ids = new Set([wf.initialStatus, ...wf.transitions.map((t) => t.to)]);
        return { self: `${base}/rest/api/3/issuetype/${id}`, id, name: type.name, subtask: false, statuses: [...ids].map((s) => statusDetails(base, store.statuses.get(s)!)) };
      }),
    );
  });

  r.get('/myself', (req, res) => {
    const u = store.users.get(callerOf(res).accountId);
    res.json({ self: `${selfBase(ctx, req)}/rest/api/3/user?accountId=${callerOf(res).accountId}`, accountId: callerOf(res).accountId, displayName: u?.displayName ?? 'App user', active: true, accountType: u ? 'atlassian' : 'app' });
  });
  return r;
}
