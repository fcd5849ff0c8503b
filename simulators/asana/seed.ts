import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { SimClock } from '../kit/clock';
import { newSimTask, type AsanaStore, type CustomFieldType } from './store';

/** What `POST /__admin/seed` accepts: one workspace with one project, its users and its custom fields. */
export const seedSchema = z
  .object({
    workspaceName: z.string().default('Demo Workspace'),
    projectName: z.string().default('PeopleSoft approvals'),
    users: z
      .array(z.object({ name: z.string(), email: z.string(), token: z.string().min(8).optional() }).strict())
      .min(1)
      .default([{ name: 'Integration Bot', email: 'integration-bot@example.com' }]),
    customFields: z
      .array(
        z
          .object({
            name: z.string(),
            type: z.enum(['text', 'number', 'enum', 'date']),
            enumOptions: z.array(z.string()).optional(),
            precision: z.number().int().min(0).max(6).default(2),
          })
          .strict(),
      )
      .default([
        { name: 'External Key', type: 'text', precision: 2 },
        { name: 'Amount', type: 'number', precision: 2 },
        { name: 'Approval Status', type: 'enum', enumOptions: ['Pending', 'Approved', 'Rejected'], precision: 2 },
        { name: 'Invoice Date', type: 'date', precision: 2 },
      ]),
    /** Plain tasks added to the project (demo data). */
    tasks: z.number().int().min(0).max(10_000).default(0),
  })
  .strict();
export type SeedInput = z.input<typeof seedSchema>;

export interface SeedResult {
  workspaceGid: string;
  projectGid: string;
  users: { gid: string; name: string; email: string; token: string }[];
  customFields: {
    gid: string;
    name: string;
    type: CustomFieldType;
    settingGid: string;
    enumOptions: { gid: string; name: string }[];
  }[];
  taskGids: string[];
}

/** Personal access tokens look like `0/68a9e79b…` (Asana/developer-docs `_how-to-use.html.md`). */
const newToken = () => `0/${randomBytes(16).toString('hex')}`;
const COLORS = ['green', 'yellow', 'red', 'blue', 'purple', 'orange'];

export function seed(store: AsanaStore, clock: SimClock, input: unknown): SeedResult {
  const s = seedSchema.parse(input ?? {});
  const workspaceGid = store.newGid();
  store.workspaces.set(workspaceGid, { gid: workspaceGid, name: s.workspaceName });
  const projectGid = store.newGid();
  store.projects.set(projectGid, { gid: projectGid, name: s.projectName, workspaceGid });
  const users = s.users.map((u) => {
    const gid = store.newGid();
    const token = u.token ?? newToken();
    store.users.set(gid, { gid, name: u.name, email: u.email, workspaceGids: [workspaceGid] });
    store.tokens.set(token, { token, userGid: gid });
    return { gid, name: u.name, email: u.email, token };
  });
  const customFields = s.customFields.map((f) => {
    const gid = store.newGid();
    const enumOptions = (f.type === 'enum' ? (f.enumOptions ?? []) : []).map((name, i) => ({
      gid: store.newGid(),
      name,
      enabled: true,
      color: COLORS[i % COLORS.length] ?? 'none',
    }));
    store.customFields.set(gid, { gid, name: f.name, type: f.type, workspaceGid, enumOptions, precision: f.precision });
    const settingGid = store.newGid();
    store.customFieldSettings.set(settingGid, { gid: settingGid, projectGid, customFieldGid: gid, isImportant: true });
    return { gid, name: f.name, type: f.type, settingGid, enumOptions: enumOptions.map((o) => ({ gid: o.gid, name: o.name })) };
  });
  const taskGids: string[] = [];
  const nowIso = clock.now().toISOString();
  const creator = users[0]?.gid ?? '';
  for (let i = 1; i <= s.tasks; i += 1) {
    const gid = store.newGid();
    store.tasks.set(gid, newSimTask({ gid, name: `Demo task ${i}`, createdAt: nowIso, createdByGid: creator, workspaceGid, projectGids: [projectGid] }));
    taskGids.push(gid);
  }
  return { workspaceGid, projectGid, users, customFields, taskGids };
}
