/**
 * The simulator's in-memory world. Plain records, no behaviour: routes and the webhook engine read and change them.
 * GIDs are numeric strings like Asana's ("Globally unique identifier of the resource, as a string"):
 * https://developers.asana.com/docs/object-structure (spec `AsanaResource.gid`, asana_oas.yaml).
 */
export type CustomFieldType = 'text' | 'number' | 'enum' | 'date';
/** What a task stores per custom field: text and dates as strings, numbers as numbers, enums as the option GID. */
export type CustomFieldValue = string | number | null;

export interface SimUser {
  gid: string;
  name: string;
  email: string;
  /** The workspaces the user is a member of (GET /users?workspace= lists these). */
  workspaceGids: string[];
}
export interface SimWorkspace {
  gid: string;
  name: string;
}
export interface SimProject {
  gid: string;
  name: string;
  workspaceGid: string;
}
export interface SimEnumOption {
  gid: string;
  name: string;
  enabled: boolean;
  color: string;
}
export interface SimCustomField {
  gid: string;
  name: string;
  type: CustomFieldType;
  workspaceGid: string;
  enumOptions: SimEnumOption[];
  precision: number;
}
export interface SimCustomFieldSetting {
  gid: string;
  projectGid: string;
  customFieldGid: string;
  isImportant: boolean;
}
export interface SimTask {
  gid: string;
  name: string;
  notes: string;
  completed: boolean;
  completedAt: string | null;
  completedByGid: string | null;
  assigneeGid: string | null;
  dueOn: string | null;
  createdAt: string;
  modifiedAt: string;
  createdByGid: string;
  workspaceGid: string;
  projectGids: string[];
  customFieldValues: Map<string, CustomFieldValue>;
}
/** A new task with Asana's defaults: empty, incomplete, unassigned, no due date, no custom field values. */
export function newSimTask(t: { gid: string; name: string; createdAt: string; createdByGid: string; workspaceGid: string; projectGids: string[] }): SimTask {
  return {
    ...t,
    notes: '',
    completed: false,
    completedAt: null,
    completedByGid: null,
    assigneeGid: null,
    dueOn: null,
    modifiedAt: t.createdAt,
    customFieldValues: new Map(),
  };
}
export interface SimWebhookFilter {
  resource_type?: string;
  resource_subtype?: string;
  action?: string;
  fields?: string[];
}
export interface SimEvent {
  user: { gid: string; resource_type: 'user' } | null;
  created_at: string;
  action: 'changed' | 'added' | 'removed' | 'deleted' | 'undeleted';
  resource: { gid: string; resource_type: string; resource_subtype?: string };
  parent: { gid: string; resource_type: string; resource_subtype?: string } | null;
  change?: { field: string; action: 'changed' | 'added' | 'removed'; new_value?: unknown };
}
export interface SimWebhook {
  gid: string;
  resourceGid: string;
  resourceType: 'project' | 'task' | 'workspace';
  workspaceGid: string;
  target: string;
  filters: SimWebhookFilter[];
  secret: string;
  /** Who may list it: the app and user behind the token that created it (see auth.ts ownerKey). */
  ownerKey: string;
  active: boolean;
  createdAt: string;
  lastSuccessAt: string | null;
  lastFailureAt: string | null;
  lastFailureContent: string | null;
  deliveryRetryCount: number;
  nextAttemptAfterMs: number | null;
  /** Start of the current run of failed deliveries: 24 h later the webhook is deleted. */
  failingSinceMs: number | null;
  lastHeartbeatMs: number;
  /** Events not yet acknowledged by the target, sent together in the next delivery. */
  pending: SimEvent[];
}
export interface SimToken {
  token: string;
  userGid: string;
  /** OAuth access tokens only (a personal access token has none of this and never expires). */
  oauth?: { clientId: string; grant: string; expiresAtMs: number };
}

export class AsanaStore {
  private nextGid = 1_200_000_000_000_001n;
  readonly users = new Map<string, SimUser>();
  readonly workspaces = new Map<string, SimWorkspace>();
  readonly projects = new Map<string, SimProject>();
  readonly customFields = new Map<string, SimCustomField>();
  readonly customFieldSettings = new Map<string, SimCustomFieldSetting>();
  /** Insertion-ordered, which is the order project listings return. */
  readonly tasks = new Map<string, SimTask>();
  readonly webhooks = new Map<string, SimWebhook>();
  readonly tokens = new Map<string, SimToken>();

  newGid(): string {
    const gid = this.nextGid.toString();
    this.nextGid += 1n;
    return gid;
  }

  settingsForProject(projectGid: string): SimCustomFieldSetting[] {
    return [...this.customFieldSettings.values()].filter((s) => s.projectGid === projectGid);
  }

  fieldsForTask(task: SimTask): SimCustomField[] {
    const seen = new Set<string>();
    const out: SimCustomField[] = [];
    for (const projectGid of task.projectGids) {
      for (const setting of this.settingsForProject(projectGid)) {
        const field = this.customFields.get(setting.customFieldGid);
        if (field && !seen.has(field.gid)) {
          seen.add(field.gid);
          out.push(field);
        }
      }
    }
    return out;
  }
}
