import { Router, type Request } from 'express';
import { callerOf } from './auth';
import { selfBase, type SimContext } from './context';
import { badRequest, fieldError, JiraHttpError, notFound } from './errors';
import { checkFields } from './field-values';
import { issueBean } from './serialize';
import type { SimIssue } from './store';
import { commentRoutes } from './comment-routes';
import { transitionRoutes } from './transition-routes';

/**
 * Issues: create, get, edit, delete and entity properties, per the REST v3 reference
 * (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/,
 * https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-properties/) and spec operations
 * createIssue, getIssue, editIssue, deleteIssue, setIssueProperty.
 */
const MAX_PROPERTY_CHARS = 32_768;

function refOf(value: unknown): { id?: string; key?: string; name?: string } | undefined {
  return typeof value === 'object' && value !== null ? (value as { id?: string; key?: string; name?: string }) : undefined;
}

export function csv(value: unknown): string[] | undefined {
  if (typeof value === 'string') return value.split(',').map((s) => s.trim()).filter(Boolean);
  if (Array.isArray(value)) return value.flatMap((v) => csv(v) ?? []);
  return undefined;
}

function checkProperties(raw: unknown): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (raw === undefined) return out;
  if (!Array.isArray(raw)) throw badRequest(['properties must be a list of {key, value}.']);
  for (const p of raw as { key?: unknown; value?: unknown }[]) {
    if (typeof p?.key !== 'string' || p.key === '' || p.key.length > 255) throw badRequest(['The property key can not be empty or longer than 255 characters.']);
    if (p.value === undefined || JSON.stringify(p.value).length > MAX_PROPERTY_CHARS) throw badRequest([`The property '${p.key}' value is empty or exceeds ${MAX_PROPERTY_CHARS} characters.`]);
    out.set(p.key, p.value);
  }
  return out;
}

export function issueRoutes(ctx: SimContext): Router {
  const r = Router();
  const { store, clock, webhooks } = ctx;

  const load = (req: Request): SimIssue => {
    const issue = store.issue(String(req.params.issueIdOrKey));
    if (!issue) throw notFound();
    return issue;
  };

  r.post('/issue', (req, res) => {
    const body = (req.body ?? {}) as { fields?: Record<string, unknown>; properties?: unknown; transition?: { id?: string }; update?: unknown };
    const fields = body.fields ?? {};
    const errors: Record<string, string> = {};
    const project = store.project(refOf(fields.project)?.id ?? refOf(fields.project)?.key);
    if (!project) errors.project = 'Specify a valid project ID or key';
    const typeRef = refOf(fields.issuetype);
    const type = [...store.issueTypes.values()].find((t) => t.id === typeRef?.id || t.name === typeRef?.name);
    if (!type || (project && !project.issueTypeIds.includes(type.id))) errors.issuetype = 'Specify an issue type';
    if (fields.summary === undefined) errors.summary = 'You must specify a summary of the issue.';
    const checked = checkFields(store, fields, ['project', 'issuetype']);
    Object.assign(errors, checked.errors);
    if (Object.keys(errors).length > 0) throw badRequest([], errors);
    const properties = checkProperties(body.properties);
    const wf = store.workflows.get(type!.workflow)!;
    let statusId = wf.initialStatus;
    if (body.transition?.id) {
      const t = wf.transitions.find((x) => x.id === body.transition?.id && (x.from.length === 0 || x.from.includes(statusId)));
      if (!t) throw badRequest([`Transition id '${body.transition.id}' is not valid for this issue.`]);
      statusId = t.to;
    }
    const now = clock.nowMs();
    const issue: SimIssue = { id: store.nextId(), key: `${project!.key}-${project!.nextNumber++}`, projectId: project!.id, issueTypeId: type!.id, statusId, fields: checked.values, properties, comments: [], createdMs: now, updatedMs: now };
    store.issues.set(issue.id, issue);
    webhooks.issueEvent('jira:issue_created', issue, callerOf(res).accountId);
    res.status(201).json({ id: issue.id, key: issue.key, self: `${selfBase(ctx, req)}/rest/api/3/issue/${issue.id}` });
  });

  r.get('/issue/:issueIdOrKey', (req, res) => {
    const issue = load(req);
    res.json(issueBean(store, selfBase(ctx, req), issue, csv(req.query.fields) ?? ['*all'], csv(req.query.properties)));
  });

  r.put('/issue/:issueIdOrKey', (req, res) => {
    const issue = load(req);
    const body = (req.body ?? {}) as { fields?: Record<string, unknown>; properties?: unknown; update?: Record<string, { set?: unknown }[]> };
    const fields: Record<string, unknown> = { ...(body.fields ?? {}) };
    // `update` operations: only `set` is modelled (https://developer.atlassian.com/cloud/jira/platform/rest/v3/intro/#editing-an-issue-examples).
    for (const [id, ops] of Object.entries(body.update ?? {})) {
      for (const op of ops ?? []) {
        if (!('set' in op)) throw fieldError(id, `Operation '${Object.keys(op)[0] ?? ''}' is not supported for field '${id}' in this simulator.`);
        fields[id] = op.set;
      }
    }
    const checked = checkFields(store, fields);
    if (Object.keys(checked.errors).length > 0) throw badRequest([], checked.errors);
    const properties = checkProperties(body.properties);
    const changes = Object.entries(checked.values).filter(([k, v]) => JSON.stringify(issue.fields[k] ?? null) !== JSON.stringify(v ?? null));
    for (const [k, v] of changes) issue.fields[k] = v;
    for (const [k, v] of properties) issue.properties.set(k, v);
    if (changes.length > 0) {
      issue.updatedMs = clock.nowMs();
      webhooks.issueEvent('jira:issue_updated', issue, callerOf(res).accountId, changes.map(([k]) => k));
    }
    if (req.query.returnIssue === 'true') return void res.status(200).json(issueBean(store, selfBase(ctx, req), issue, ['*all']));
    res.status(204).end();
  });

  r.delete('/issue/:issueIdOrKey', (req, res) => {
    const issue = load(req);
    store.issues.delete(issue.id);
    webhooks.issueEvent('jira:issue_deleted', issue, callerOf(res).accountId);
    res.status(204).end();
  });

  r.get('/issue/:issueIdOrKey/properties/:propertyKey', (req, res) => {
    const issue = load(req);
    if (!issue.properties.has(req.params.propertyKey!)) throw new JiraHttpError(404, [`The property with key '${req.params.propertyKey}' does not exist.`]);
    res.json({ key: req.params.propertyKey, value: issue.properties.get(req.params.propertyKey!) });
  });

  // The body is the raw JSON value (non-empty, at most 32,768 characters); 201 when created, 200 when replaced.
  r.put('/issue/:issueIdOrKey/properties/:propertyKey', (req, res) => {
    const issue = load(req);
    const text = JSON.stringify(req.body ?? null);
    if (req.body === undefined || text.length > MAX_PROPERTY_CHARS) throw badRequest([`The property value must be valid JSON of at most ${MAX_PROPERTY_CHARS} characters.`]);
    const existed = issue.properties.has(req.params.propertyKey!);
    issue.properties.set(req.params.propertyKey!, req.body);
    res.status(existed ? 200 : 201).json({});
  });

  r.delete('/issue/:issueIdOrKey/properties/:propertyKey', (req, res) => {
    const issue = load(req);
    if (!issue.properties.delete(req.params.propertyKey!)) throw new JiraHttpError(404, [`The property with key '${req.params.propertyKey}' does not exist.`]);
    res.status(204).end();
  });

  r.use(transitionRoutes(ctx, load), commentRoutes(ctx, load));
  return r;
}
