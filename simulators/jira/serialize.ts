import type { JiraStore, SimField, SimIssue, SimStatus } from './store';

/** Jira's timestamp format in REST answers, e.g. "2019-05-11T10:15:30.000+0000". */
export function jiraTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

const CATEGORY = { new: { id: 2, key: 'new', name: 'To Do' }, indeterminate: { id: 4, key: 'indeterminate', name: 'In Progress' }, done: { id: 3, key: 'done', name: 'Done' } };

export function statusDetails(base: string, s: SimStatus): Record<string, unknown> {
  return { self: `${base}/rest/api/3/status/${s.id}`, id: s.id, name: s.name, description: '', iconUrl: `${base}/images/icons/statuses/generic.png`, statusCategory: CATEGORY[s.category] };
}

/** Every field of an issue as GET /rest/api/3/issue/{key} returns them (`fields` default `*all`). */
function allFields(store: JiraStore, base: string, issue: SimIssue): Record<string, unknown> {
  const project = store.projects.get(issue.projectId)!;
  const type = store.issueTypes.get(issue.issueTypeId)!;
  const out: Record<string, unknown> = {
    summary: issue.fields.summary ?? null,
    description: issue.fields.description ?? null,
    duedate: issue.fields.duedate ?? null,
    status: statusDetails(base, store.statuses.get(issue.statusId)!),
    issuetype: { self: `${base}/rest/api/3/issuetype/${type.id}`, id: type.id, name: type.name, subtask: false },
    project: { self: `${base}/rest/api/3/project/${project.id}`, id: project.id, key: project.key, name: project.name },
    created: jiraTime(issue.createdMs),
    updated: jiraTime(issue.updatedMs),
  };
  for (const f of store.fields.values()) {
    if (!f.custom) continue;
    const v = issue.fields[f.id];
    out[f.id] = v === undefined || v === null ? null : f.type === 'select' ? { self: `${base}/rest/api/3/customFieldOption/${(v as { id: string }).id}`, ...(v as object) } : v;
  }
  return out;
}

/**
 * An IssueBean. `fields` follows the request: `*all`, `*navigable`, a list (with `-name` exclusions), or nothing
 * (search/jql's default: "By default, only the issue ID is returned", spec SearchAndReconcileRequestBean.fields).
 */
export function issueBean(store: JiraStore, base: string, issue: SimIssue, fields: string[] | undefined, properties: string[] = []): Record<string, unknown> {
  const bean: Record<string, unknown> = { id: issue.id, key: issue.key, self: `${base}/rest/api/3/issue/${issue.id}` };
  if (fields && fields.length > 0 && !(fields.length === 1 && fields[0] === 'id')) {
    const all = allFields(store, base, issue);
    const wantAll = fields.includes('*all') || fields.includes('*navigable');
    const picked: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(all)) if ((wantAll || fields.includes(k)) && !fields.includes(`-${k}`)) picked[k] = v;
    bean.fields = picked;
  }
  if (properties.length > 0) {
    const props: Record<string, unknown> = {};
    for (const p of properties) if (issue.properties.has(p)) props[p] = issue.properties.get(p);
    bean.properties = props;
  }
  return bean;
}

const CUSTOM_TYPE: Record<string, string> = {
  textfield: 'com.atlassian.jira.plugin.system.customfieldtypes:textfield',
  textarea: 'com.atlassian.jira.plugin.system.customfieldtypes:textarea',
  float: 'com.atlassian.jira.plugin.system.customfieldtypes:float',
  select: 'com.atlassian.jira.plugin.system.customfieldtypes:select',
  datepicker: 'com.atlassian.jira.plugin.system.customfieldtypes:datepicker',
};

/** FieldDetails as GET /rest/api/3/field lists them. */
export function fieldDetails(f: SimField): Record<string, unknown> {
  const customId = f.custom ? Number(f.id.replace('customfield_', '')) : undefined;
  return {
    id: f.id,
    key: f.id,
    name: f.name,
    custom: f.custom,
    orderable: true,
    navigable: true,
    searchable: true,
    clauseNames: f.custom ? [`cf[${customId}]`, f.name] : [f.id],
    schema: f.custom ? { type: f.schemaType, custom: CUSTOM_TYPE[f.type], customId } : { type: f.schemaType, system: f.id },
  };
}
