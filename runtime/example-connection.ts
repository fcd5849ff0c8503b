import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { PAIR } from '../pairs/peoplesoft-asana/config';
import { AsanaAdminClient } from '../simulators/asana/admin-client';
import { APPROVAL_FIELDS, DEMO_WORKSPACE_USERS, pairConfig, withRoster } from '../pairs/peoplesoft-asana/demo-world';
import { DEMO_OPRID, DEMO_PASSWORD } from '../simulators/peoplesoft';

export const EXAMPLE_CONNECTION_FILE = 'acme-asana.yaml';

/**
 * `npm start` only: the README walk-through's connection file, `<data dir>/acme-asana.yaml`, for customer `acme`
 * over this start's simulators (a workspace and approvals project of its own in the Asana simulator, the demo
 * PeopleSoft user), so `mlc connections create -f .data/acme-asana.yaml` works as written. Its schedule is the form a
 * customer writes: weekdays at 06:00 in Chicago. Rewritten on every start (the simulators keep data in memory);
 * 0600, since it holds credentials like any real connection file.
 */
export async function writeExampleConnection(deps: { dataDir: string; peoplesoftUrl: string; asanaBaseUrl: string; apiUrl: string }): Promise<string> {
  const asana = new AsanaAdminClient(deps.asanaBaseUrl);
  const world = await asana.seed({ workspaceName: 'Acme', projectName: 'Acme invoice approvals', users: DEMO_WORKSPACE_USERS, customFields: APPROVAL_FIELDS });
  // Tasks are assigned through the roster (employees -> Asana users by email), with an empty approvers map.
  const config = { ...withRoster(pairConfig(world, deps.peoplesoftUrl, `${deps.asanaBaseUrl}/api/1.0`, deps.apiUrl), world), schedule: { cron: '0 6 * * MON-FRI', timeZone: 'America/Chicago' } };
  const doc = {
    pair: PAIR,
    id: 'acme-asana',
    customerId: 'acme',
    config,
    credentials: { peoplesoft: { method: 'basic', oprid: DEMO_OPRID, password: DEMO_PASSWORD }, asana: { method: 'pat', token: world.users[0]!.token } },
  };
  const file = path.resolve(deps.dataDir, EXAMPLE_CONNECTION_FILE);
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `# Written by npm start for the README walk-through: customer acme over the local simulators.\n${stringify(doc)}`, { mode: 0o600 });
  renameSync(tmp, file);
  return file;
}
