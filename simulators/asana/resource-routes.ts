import { Router } from 'express';
import { authOf } from './auth';
import { optFieldsOf, type SimContext } from './context';
import { notFound } from './errors';
import { project } from './opt-fields';
import { paginate } from './pagination';
import { customFieldDefinition, fullCustomFieldSetting } from './serialize';

/** Read-only resources the connector needs around tasks: the caller, custom fields and a project's field settings. */
export function resourceRoutes(ctx: SimContext): Router {
  const r = Router();
  const { store } = ctx;

  r.get('/users/me', (req, res) => {
    const user = store.users.get(authOf(res).userGid);
    if (!user) throw notFound('user: Unknown object: me');
    const workspaces = [...store.workspaces.values()].map((w) => ({ gid: w.gid, resource_type: 'workspace', name: w.name }));
    const full = { gid: user.gid, resource_type: 'user', name: user.name, email: user.email, workspaces };
    res.json({ data: project(full, optFieldsOf(req), 'full') });
  });

  // GET /users (getUsers, asana_oas.yaml L62260+; https://developers.asana.com/reference/getusers): users of the
  // workspaces the caller can see, optionally of one workspace, "sorted by user ID", compact (gid, resource_type,
  // name) unless opt_fields asks for email, paginated like every list.
  r.get('/users', (req, res) => {
    const caller = store.users.get(authOf(res).userGid);
    const visible = new Set(caller?.workspaceGids ?? []);
    const workspace = typeof req.query.workspace === 'string' ? req.query.workspace : undefined;
    if (workspace !== undefined && !store.workspaces.has(workspace)) throw notFound(`workspace: Unknown object: ${workspace}`);
    const users = [...store.users.values()]
      .filter((u) => (workspace ? u.workspaceGids.includes(workspace) && visible.has(workspace) : u.workspaceGids.some((w) => visible.has(w))))
      .sort((a, b) => (BigInt(a.gid) < BigInt(b.gid) ? -1 : 1));
    const page = paginate(req, users, ctx.pagination, ctx.clock.nowMs(), ctx.baseUrl());
    const data = page.items.map((u) => project({ gid: u.gid, resource_type: 'user', name: u.name, email: u.email }, optFieldsOf(req), 'compact'));
    res.json(page.nextPage === undefined ? { data } : { data, next_page: page.nextPage });
  });

  r.get('/custom_fields/:custom_field_gid', (req, res) => {
    const field = store.customFields.get(req.params.custom_field_gid);
    if (!field) throw notFound(`custom_field: Unknown object: ${req.params.custom_field_gid}`);
    res.json({ data: project(customFieldDefinition(field), optFieldsOf(req), 'full') });
  });

  // GET /projects/{gid}/custom_field_settings (getCustomFieldSettingsForProject, asana_oas.yaml L13527+): compact
  // records `{gid, custom_field, project, is_important, parent}`, paginated.
  r.get('/projects/:project_gid/custom_field_settings', (req, res) => {
    const projectGid = req.params.project_gid;
    if (!store.projects.has(projectGid)) throw notFound(`project: Unknown object: ${projectGid}`);
    const settings = store.settingsForProject(projectGid);
    const page = paginate(req, settings, ctx.pagination, ctx.clock.nowMs(), ctx.baseUrl());
    const data = page.items.map((s) => project(fullCustomFieldSetting(store, s.gid), optFieldsOf(req), 'compact'));
    res.json(page.nextPage === undefined ? { data } : { data, next_page: page.nextPage });
  });

  return r;
}
