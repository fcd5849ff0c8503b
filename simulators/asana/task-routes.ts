import { Router, type Request, type Response } from 'express';
import { authOf } from './auth';
import { dataOf, optFieldsOf, type SimContext } from './context';
import { changedCustomFields, validateCustomFieldWrites } from './custom-field-writes';
import { badRequest, notFound } from './errors';
import { taskAddedEvents, taskChangedEvents } from './events';
import { project } from './opt-fields';
import { paginate } from './pagination';
import { fullTask } from './serialize';
import { newSimTask, type AsanaStore, type SimTask } from './store';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function resolveUser(store: AsanaStore, value: unknown, meGid: string): string | null {
  if (value === null) return null;
  if (typeof value !== 'string') throw badRequest('assignee: Not a valid user identifier');
  if (value === 'me') return meGid;
  const user = store.users.get(value) ?? [...store.users.values()].find((u) => u.email === value);
  // Wording observed on forum.asana.com/t/60069 (UNCONFIRMED in docs).
  if (!user) throw badRequest(`assignee: Not a user in Organization: ${value}`);
  return user.gid;
}

function parseDueOn(value: unknown): string | null {
  if (value === null) return null;
  if (typeof value !== 'string' || !DATE.test(value) || Number.isNaN(Date.parse(value))) {
    throw badRequest(`due_on: Invalid date: ${String(value)}`);
  }
  return value;
}

function getTaskOr404(ctx: SimContext, gid: string): SimTask {
  const task = ctx.store.tasks.get(gid);
  if (!task) throw notFound(`task: Unknown object: ${gid}`);
  return task;
}

function parseSince(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = typeof value === 'string' ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) throw badRequest(`${name}: Invalid date-time: ${String(value)}`);
  return ms;
}

/** Applies the writable fields that were sent; "only the fields you send change" (updateTask, asana_oas.yaml L48722+). */
function applyWrites(ctx: SimContext, task: SimTask, data: Record<string, unknown>, meGid: string, nowIso: string): string[] {
  const changed: string[] = [];
  const set = <K extends keyof SimTask>(key: K, field: string, value: SimTask[K]) => {
    if (task[key] !== value) {
      task[key] = value;
      changed.push(field);
    }
  };
  if ('name' in data) {
    if (typeof data.name !== 'string') throw badRequest('name: Value is not a string');
    set('name', 'name', data.name);
  }
  if ('notes' in data) {
    if (typeof data.notes !== 'string') throw badRequest('notes: Value is not a string');
    set('notes', 'notes', data.notes);
  }
  if ('assignee' in data) set('assigneeGid', 'assignee', resolveUser(ctx.store, data.assignee, meGid));
  if ('due_on' in data) set('dueOn', 'due_on', parseDueOn(data.due_on));
  if ('completed' in data) {
    if (typeof data.completed !== 'boolean') throw badRequest('completed: Value is not a boolean');
    if (task.completed !== data.completed) {
      task.completed = data.completed;
      task.completedAt = data.completed ? nowIso : null;
      task.completedByGid = data.completed ? meGid : null;
      changed.push('completed');
    }
  }
  if ('custom_fields' in data) {
    const writes = validateCustomFieldWrites(ctx.store, task.projectGids, data.custom_fields);
    if (changedCustomFields(task, writes).length > 0) changed.push('custom_fields');
    for (const [gid, value] of writes) task.customFieldValues.set(gid, value);
  }
  return changed;
}

export function createTask(ctx: SimContext, data: Record<string, unknown>, userGid: string): SimTask {
  const { store } = ctx;
  const projects = data.projects === undefined ? [] : data.projects;
  if (!Array.isArray(projects) || projects.some((p) => typeof p !== 'string')) {
    throw badRequest('projects: Value is not an array of project GIDs');
  }
  projects.forEach((gid: string, i) => {
    if (!store.projects.has(gid)) throw badRequest(`projects: [${i}]: Not a recognized ID: ${gid}`);
  });
  const firstProject = projects[0] === undefined ? undefined : store.projects.get(projects[0] as string);
  const workspaceGid = typeof data.workspace === 'string' ? data.workspace : firstProject?.workspaceGid;
  // "Every task is required to be created in a specific workspace ... need not be set explicitly if you specify
  // projects or a parent" (createTask); the missing-workspace answer is the errors doc's own example.
  if (workspaceGid === undefined) throw badRequest('workspace: Missing input');
  if (!store.workspaces.has(workspaceGid)) throw badRequest(`workspace: Not a recognized ID: ${workspaceGid}`);
  const nowIso = ctx.clock.now().toISOString();
  const task = newSimTask({ gid: store.newGid(), name: '', createdAt: nowIso, createdByGid: userGid, workspaceGid, projectGids: projects as string[] });
  applyWrites(ctx, task, data, userGid, nowIso);
  store.tasks.set(task.gid, task);
  ctx.webhooks.publish(task, taskAddedEvents(task, userGid, nowIso));
  return task;
}

export function updateTask(ctx: SimContext, task: SimTask, data: Record<string, unknown>, userGid: string): string[] {
  // projects/workspace/followers/tags are create-only (TaskCreateRequest "*Create-Only*"; addProject etc. change them).
  for (const key of ['projects', 'workspace', 'followers', 'tags']) {
    if (key in data) throw badRequest(`${key}: Cannot update ${key} with this endpoint`);
  }
  const nowIso = ctx.clock.now().toISOString();
  const before = { ...task, customFieldValues: new Map(task.customFieldValues) };
  let changed: string[];
  try {
    changed = applyWrites(ctx, task, data, userGid, nowIso);
  } catch (err) {
    Object.assign(task, before); // a refused update changes nothing
    throw err;
  }
  if (changed.length > 0) {
    task.modifiedAt = nowIso;
    ctx.webhooks.publish(task, taskChangedEvents(task, changed, userGid, nowIso));
  }
  return changed;
}

function listTasks(ctx: SimContext, req: Request, res: Response, tasks: SimTask[]): void {
  const page = paginate(req, tasks, ctx.pagination, ctx.clock.nowMs(), ctx.baseUrl());
  const optFields = optFieldsOf(req);
  const data = page.items.map((t) => project(fullTask(ctx.store, t), optFields, 'compact'));
  res.json(page.nextPage === undefined ? { data } : { data, next_page: page.nextPage });
}

function filterTasks(tasks: SimTask[], req: Request): SimTask[] {
  const modifiedSince = parseSince(req.query.modified_since, 'modified_since');
  const completedRaw = req.query.completed_since;
  const completedSince = completedRaw === 'now' ? Date.now() : parseSince(completedRaw, 'completed_since');
  return tasks.filter(
    (t) =>
      (modifiedSince === undefined || Date.parse(t.modifiedAt) >= modifiedSince) &&
      (completedSince === undefined || !t.completed || Date.parse(t.completedAt ?? '') >= completedSince),
  );
}

export function taskRoutes(ctx: SimContext): Router {
  const r = Router();
  const { store } = ctx;

  // POST /tasks -> 201 {data} with a Location header (createTask L47934+; status table in the errors doc).
  r.post('/tasks', (req, res) => {
    const data = dataOf(req);
    if (!data) throw badRequest('data: Missing input');
    const task = createTask(ctx, data, authOf(res).userGid);
    res
      .status(201)
      .location(`${ctx.baseUrl()}/api/1.0/tasks/${task.gid}`)
      .json({ data: project(fullTask(store, task), optFieldsOf(req), 'full') });
  });

  r.get('/tasks/:task_gid', (req, res) => {
    const task = getTaskOr404(ctx, req.params.task_gid);
    res.json({ data: project(fullTask(store, task), optFieldsOf(req), 'full') });
  });

  // PUT /tasks/{gid} -> 200 with the full task (updateTask L48722+).
  r.put('/tasks/:task_gid', (req, res) => {
    const task = getTaskOr404(ctx, req.params.task_gid);
    const data = dataOf(req);
    if (!data) throw badRequest('data: Missing input');
    updateTask(ctx, task, data, authOf(res).userGid);
    res.json({ data: project(fullTask(store, task), optFieldsOf(req), 'full') });
  });

  // GET /tasks: "You must specify a project or tag if you do not specify assignee and workspace" (getTasks).
  r.get('/tasks', (req, res) => {
    const { project: projectGid, workspace, assignee } = req.query;
    let tasks: SimTask[];
    if (typeof projectGid === 'string') {
      if (!store.projects.has(projectGid)) throw notFound(`project: Unknown object: ${projectGid}`);
      tasks = [...store.tasks.values()].filter((t) => t.projectGids.includes(projectGid));
    } else if (typeof workspace === 'string' && typeof assignee === 'string') {
      const assigneeGid = resolveUser(store, assignee, authOf(res).userGid);
      tasks = [...store.tasks.values()].filter((t) => t.workspaceGid === workspace && t.assigneeGid === assigneeGid);
    } else {
      throw badRequest('Must specify exactly one of project, tag, section, user task list, or assignee + workspace');
    }
    listTasks(ctx, req, res, filterTasks(tasks, req));
  });

  // GET /projects/{gid}/tasks (getTasksForProject), with completed_since.
  r.get('/projects/:project_gid/tasks', (req, res) => {
    const projectGid = req.params.project_gid;
    if (!store.projects.has(projectGid)) throw notFound(`project: Unknown object: ${projectGid}`);
    const tasks = [...store.tasks.values()].filter((t) => t.projectGids.includes(projectGid));
    listTasks(ctx, req, res, filterTasks(tasks, req));
  });

  return r;
}
