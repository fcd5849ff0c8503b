/**
 * The Jira simulator's world, in memory. Shapes follow Jira Cloud REST v3 (../shared/specs/jira_platform_v3.json):
 * projects, issue types, fields (system + `customfield_NNNNN`), one workflow per issue type whose transitions depend
 * on the status an issue is in, issues with entity properties and ADF comments, and both kinds of webhooks.
 */
export interface SimStatus {
  id: string;
  name: string;
  category: 'new' | 'indeterminate' | 'done';
}

export interface SimTransition {
  id: string;
  name: string;
  /** Status ids this transition starts from; empty = global ("from any status"). */
  from: string[];
  to: string;
}

export interface SimWorkflow {
  name: string;
  initialStatus: string;
  transitions: SimTransition[];
}

export interface SimIssueType {
  id: string;
  name: string;
  workflow: string;
}

export interface SimProject {
  id: string;
  key: string;
  name: string;
  issueTypeIds: string[];
  nextNumber: number;
}

/** Custom field types we model, with the schema Jira reports in GET /rest/api/3/field. */
export type SimFieldType = 'textfield' | 'textarea' | 'float' | 'select' | 'datepicker';

export interface SimField {
  id: string;
  name: string;
  custom: boolean;
  /** System fields: the `schema.system` name; custom fields: the type. */
  type: SimFieldType | 'system';
  schemaType: string;
  options?: { id: string; value: string }[];
}

export interface SimComment {
  id: string;
  body: unknown;
  authorId: string;
  createdMs: number;
  updatedMs: number;
}

export interface SimIssue {
  id: string;
  key: string;
  projectId: string;
  issueTypeId: string;
  statusId: string;
  /** Field id -> stored value (ADF docs, strings, numbers, `{id,value}` options); system fields summary/description/duedate too. */
  fields: Record<string, unknown>;
  properties: Map<string, unknown>;
  comments: SimComment[];
  createdMs: number;
  updatedMs: number;
}

export interface SimUser {
  accountId: string;
  displayName: string;
  email: string;
  apiToken: string;
}

export interface SimDynamicWebhook {
  id: number;
  url: string;
  events: string[];
  jqlFilter: string;
  fieldIdsFilter?: string[];
  issuePropertyKeysFilter?: string[];
  expiresAtMs: number;
  /** The OAuth app that registered it: its deliveries are signed with that app's client secret (JWT). */
  clientId: string;
}

export interface SimAdminWebhook {
  id: number;
  name: string;
  url: string;
  events: string[];
  jqlFilter?: string;
  secret?: string;
  enabled: boolean;
}

export class JiraStore {
  readonly cloudId = '1324a887-45db-1bf4-1e99-ef0ff456d421';
  readonly statuses = new Map<string, SimStatus>();
  readonly workflows = new Map<string, SimWorkflow>();
  readonly issueTypes = new Map<string, SimIssueType>();
  readonly projects = new Map<string, SimProject>();
  readonly fields = new Map<string, SimField>();
  readonly issues = new Map<string, SimIssue>();
  readonly users = new Map<string, SimUser>();
  readonly dynamicWebhooks = new Map<number, SimDynamicWebhook>();
  readonly adminWebhooks = new Map<number, SimAdminWebhook>();
  private seq = 10_000;

  nextId(): string {
    this.seq += 1;
    return String(this.seq);
  }

  nextNumber(): number {
    this.seq += 1;
    return this.seq;
  }

  project(idOrKey: unknown): SimProject | undefined {
    if (typeof idOrKey !== 'string') return undefined;
    return this.projects.get(idOrKey) ?? [...this.projects.values()].find((p) => p.key === idOrKey);
  }

  issue(idOrKey: string): SimIssue | undefined {
    return this.issues.get(idOrKey) ?? [...this.issues.values()].find((i) => i.key === idOrKey);
  }

  issueByKey(key: string): SimIssue | undefined {
    for (const i of this.issues.values()) if (i.key === key) return i;
    return undefined;
  }

  fieldByName(name: string): SimField | undefined {
    return [...this.fields.values()].find((f) => f.name === name);
  }

  workflowOf(issue: SimIssue): SimWorkflow {
    const type = this.issueTypes.get(issue.issueTypeId);
    const wf = type ? this.workflows.get(type.workflow) : undefined;
    if (!wf) throw new Error(`issue type ${issue.issueTypeId} has no workflow`);
    return wf;
  }

  /** The transitions Jira offers from where the issue stands: GET .../transitions lists only these. */
  availableTransitions(issue: SimIssue): SimTransition[] {
    return this.workflowOf(issue).transitions.filter((t) => t.from.length === 0 || t.from.includes(issue.statusId));
  }
}
