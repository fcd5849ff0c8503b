import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { SimClock } from '../kit/clock';
import { textToAdf } from './adf';
import type { JiraStore, SimFieldType } from './store';

/**
 * A procurement project as a Jira admin would set it up: three issue types sharing one approval workflow, and the
 * custom fields the PeopleSoft pair maps to. Transitions depend on the current status (Jira workflows,
 * https://support.atlassian.com/jira-cloud-administration/docs/work-with-issue-workflows/): an issue in "Open"
 * cannot reach "Closed" in one step, which is what the pair's "unreachable status" handling is tested against.
 */
export const seedInputSchema = z
  .object({
    projectKey: z.string().regex(/^[A-Z][A-Z0-9]+$/).default('PROC'),
    /** Demo issues to create (spread over the three issue types). */
    issues: z.number().int().min(0).max(20_000).default(0),
    /** Custom field names to leave out (to test connection checks that name missing fields). */
    omitFields: z.array(z.string()).default([]),
  })
  .strict();
export type SeedInput = z.input<typeof seedInputSchema>;

export interface SeedResult {
  cloudId: string;
  projectKey: string;
  projectId: string;
  issueTypes: { id: string; name: string }[];
  customFields: { id: string; name: string; type: SimFieldType }[];
  user: { accountId: string; email: string; apiToken: string };
  statuses: { id: string; name: string }[];
}

const CUSTOM_FIELDS: { name: string; type: SimFieldType; options?: string[] }[] = [
  { name: 'External Key', type: 'textfield' },
  { name: 'Document Number', type: 'textfield' },
  { name: 'Vendor Name', type: 'textfield' },
  { name: 'Amount', type: 'textfield' },
  { name: 'Currency', type: 'textfield' },
  { name: 'Approval Status', type: 'select', options: ['Pending', 'Approved', 'Denied', 'Closed'] },
  { name: 'Vendor Details', type: 'textarea' },
];

const SYSTEM_FIELDS: { id: string; name: string; schemaType: string }[] = [
  { id: 'summary', name: 'Summary', schemaType: 'string' },
  { id: 'description', name: 'Description', schemaType: 'string' },
  { id: 'duedate', name: 'Due date', schemaType: 'date' },
  { id: 'status', name: 'Status', schemaType: 'status' },
  { id: 'issuetype', name: 'Issue Type', schemaType: 'issuetype' },
  { id: 'project', name: 'Project', schemaType: 'project' },
  { id: 'created', name: 'Created', schemaType: 'datetime' },
  { id: 'updated', name: 'Updated', schemaType: 'datetime' },
];

export function seed(store: JiraStore, clock: SimClock, raw: unknown = {}): SeedResult {
  const input = seedInputSchema.parse(raw ?? {});
  if (store.statuses.size === 0) seedWorkflow(store);
  if (store.fields.size === 0) seedFields(store, input.omitFields);
  let project = store.project(input.projectKey);
  if (!project) {
    project = { id: store.nextId(), key: input.projectKey, name: `${input.projectKey} procurement`, issueTypeIds: [...store.issueTypes.keys()], nextNumber: 1 };
    store.projects.set(project.id, project);
  }
  let user = [...store.users.values()][0];
  if (!user) {
    user = { accountId: `5b10ac8d82e05b22cc7d4e${randomBytes(2).toString('hex')}`, displayName: 'Integration User', email: 'integration@example.com', apiToken: `ATATT${randomBytes(18).toString('hex')}` };
    store.users.set(user.accountId, user);
  }
  const types = [...store.issueTypes.values()];
  for (let n = 0; n < input.issues; n += 1) {
    const type = types[n % types.length]!;
    const wf = store.workflows.get(type.workflow)!;
    const id = store.nextId();
    const now = clock.nowMs();
    store.issues.set(id, {
      id,
      key: `${project.key}-${project.nextNumber++}`,
      projectId: project.id,
      issueTypeId: type.id,
      statusId: wf.initialStatus,
      fields: { summary: `Demo ${type.name} ${n + 1}`, description: textToAdf(`Seeded demo ${type.name}`) },
      properties: new Map(),
      comments: [],
      createdMs: now,
      updatedMs: now,
    });
  }
  return {
    cloudId: store.cloudId,
    projectKey: project.key,
    projectId: project.id,
    issueTypes: types.map((t) => ({ id: t.id, name: t.name })),
    customFields: [...store.fields.values()].filter((f) => f.custom).map((f) => ({ id: f.id, name: f.name, type: f.type as SimFieldType })),
    user: { accountId: user.accountId, email: user.email, apiToken: user.apiToken },
    statuses: [...store.statuses.values()].map((s) => ({ id: s.id, name: s.name })),
  };
}

function seedWorkflow(store: JiraStore): void {
  const statuses = [
    { id: '1', name: 'Open', category: 'new' },
    { id: '10001', name: 'Pending Approval', category: 'indeterminate' },
    { id: '10002', name: 'Approved', category: 'indeterminate' },
    { id: '10003', name: 'Denied', category: 'done' },
    { id: '6', name: 'Closed', category: 'done' },
  ] as const;
  for (const s of statuses) store.statuses.set(s.id, { ...s });
  store.workflows.set('Procurement Approval', {
    name: 'Procurement Approval',
    initialStatus: '1',
    transitions: [
      { id: '11', name: 'Submit for approval', from: ['1', '10003'], to: '10001' },
      { id: '21', name: 'Approve', from: ['10001'], to: '10002' },
      { id: '31', name: 'Deny', from: ['10001'], to: '10003' },
      { id: '41', name: 'Close', from: ['10002'], to: '6' },
      { id: '51', name: 'Reopen', from: ['6', '10003'], to: '1' },
    ],
  });
  for (const name of ['Purchase Order', 'Requisition', 'Vendor Invoice']) {
    const id = store.nextId();
    store.issueTypes.set(id, { id, name, workflow: 'Procurement Approval' });
  }
}

function seedFields(store: JiraStore, omit: string[]): void {
  for (const f of SYSTEM_FIELDS) store.fields.set(f.id, { id: f.id, name: f.name, custom: false, type: 'system', schemaType: f.schemaType });
  let next = 10_030;
  for (const f of CUSTOM_FIELDS) {
    if (omit.includes(f.name)) continue;
    const id = `customfield_${next++}`;
    const schemaType = f.type === 'float' ? 'number' : f.type === 'select' ? 'option' : f.type === 'datepicker' ? 'date' : 'string';
    const options = f.options?.map((value, i) => ({ id: String(10_100 + next * 10 + i), value }));
    store.fields.set(id, { id, name: f.name, custom: true, type: f.type, schemaType, ...(options ? { options } : {}) });
  }
}
