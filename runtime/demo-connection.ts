import { type Client } from '@temporalio/client';
import { PAIR, syncInputFor, WORKFLOW_TYPE } from '../core/pairs/peoplesoft-asana';
import { syncWorkflowId } from '../core/sync-messages';
import { syncStartOptions } from '../core/sync-start';
import { getConnection, insertConnection, putCredentials, updateConnectionConfig } from '../db/connections';
import { CredentialCipher } from '../db/credential-cipher';
import { execute, type Db } from '../db/pool';
import { AsanaAdminClient } from '../simulators/asana/admin-client';
import { APPROVAL_FIELDS, APPROVAL_USERS, pairConfig } from '../simulators/demo/peoplesoft-asana';
import { DEMO_OPRID, DEMO_PASSWORD } from '../simulators/peoplesoft';

export const DEMO_CONNECTION_ID = 'demo-peoplesoft-asana';
export const DEMO_CUSTOMER_ID = 'demo-customer';

/**
 * `npm start` only: a PeopleSoft <-> Asana connection over the simulators, visible in the Temporal UI under
 * CustomerId = demo-customer. The simulators keep their data in memory, so each start points the same connection at
 * the new ones and forgets its links to tasks that no longer exist (the audit trail stays).
 */
export async function startDemoConnection(deps: {
  pool: Db;
  temporal: Client;
  taskQueue: string;
  masterKey: string;
  peoplesoftUrl: string;
  asanaBaseUrl: string;
  apiUrl: string;
}): Promise<{ workflowId: string }> {
  const asana = new AsanaAdminClient(deps.asanaBaseUrl);
  const world = await asana.seed({ workspaceName: 'Demo Workspace', projectName: 'Invoice approvals', users: APPROVAL_USERS, customFields: APPROVAL_FIELDS });
  const config = pairConfig(world, deps.peoplesoftUrl, `${deps.asanaBaseUrl}/api/1.0`, deps.apiUrl);
  const demo = { ...config, schedule: '@every 60s' };

  const previous = await deps.temporal.workflow.getHandle(syncWorkflowId(DEMO_CONNECTION_ID));
  await previous.terminate('npm start restarted the demo against fresh simulators').catch(() => undefined);
  if (await getConnection(deps.pool, DEMO_CONNECTION_ID)) {
    await updateConnectionConfig(deps.pool, DEMO_CONNECTION_ID, demo as Record<string, unknown>);
    for (const table of ['record_links', 'dead_letters', 'webhook_events_seen', 'webhook_registrations']) {
      await execute(deps.pool, `reset demo ${table}`, `DELETE FROM ${table} WHERE connection_id = $1`, [DEMO_CONNECTION_ID]);
    }
  } else {
    await insertConnection(deps.pool, { id: DEMO_CONNECTION_ID, customerId: DEMO_CUSTOMER_ID, pair: PAIR, config: demo as Record<string, unknown> });
  }
  const cipher = new CredentialCipher(deps.masterKey);
  await putCredentials(deps.pool, cipher, DEMO_CONNECTION_ID, 'peoplesoft', { method: 'basic', oprid: DEMO_OPRID, password: DEMO_PASSWORD });
  await putCredentials(deps.pool, cipher, DEMO_CONNECTION_ID, 'asana', { token: world.users[0]!.token });

  const row = (await getConnection(deps.pool, DEMO_CONNECTION_ID))!;
  const handle = await deps.temporal.workflow.start(WORKFLOW_TYPE, syncStartOptions(syncInputFor(row), deps.taskQueue));
  return { workflowId: handle.workflowId };
}
