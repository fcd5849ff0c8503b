import { type Client } from '@temporalio/client';
import { syncWorkflowId } from '../core/sync-messages';
import { syncStartOptions } from '../core/sync-start';
import { getConnection, insertConnection, putCredentials, updateConnectionConfig } from '../db/connections';
import { CredentialCipher } from '../db/credential-cipher';
import { execute, type Db } from '../db/pool';
import { syncInputFor } from '../pairs/derive';
import { type PairDefinition } from '../pairs/types';

export const DEMO_CUSTOMER_ID = 'demo-customer';

/** The demo connection of a pair: `demo-peoplesoft-asana`. */
export function demoConnectionId(pair: PairDefinition): string {
  return `demo-${pair.id}`;
}

/**
 * `npm start` (and the conformance suite): a connection of the pair over the simulators, visible in the Temporal UI
 * under CustomerId = demo-customer. The simulators keep their data in memory, so each start points the same
 * connection at the new ones and forgets its links to records that no longer exist (the audit trail stays).
 */
export async function startDemoConnection(
  pair: PairDefinition,
  deps: { pool: Db; temporal: Client; taskQueue: string; masterKey: string; simulators: Record<string, string>; apiUrl: string; connectionId?: string },
): Promise<{ workflowId: string; connectionId: string }> {
  const id = deps.connectionId ?? demoConnectionId(pair);
  const demo = await pair.demo.connect({ simulators: deps.simulators, apiUrl: deps.apiUrl });
  // The declaration's own schemas: a demo that would not pass the API does not start either.
  const config = pair.configSchema.parse(demo.config) as Record<string, unknown>;

  const previous = deps.temporal.workflow.getHandle(syncWorkflowId(id));
  await previous.terminate('npm start restarted the demo against fresh simulators').catch(() => undefined);
  if (await getConnection(deps.pool, id)) {
    await updateConnectionConfig(deps.pool, id, config);
    for (const table of ['record_links', 'dead_letters', 'webhook_events_seen', 'webhook_registrations', 'webhook_deliveries', 'housekeeping_runs']) {
      await execute(deps.pool, `reset demo ${table}`, `DELETE FROM ${table} WHERE connection_id = $1`, [id]);
    }
  } else {
    await insertConnection(deps.pool, { id, customerId: pair.demo.customerId ?? DEMO_CUSTOMER_ID, pair: pair.id, config });
  }
  const cipher = new CredentialCipher(deps.masterKey);
  for (const [side, schema] of Object.entries(pair.credentials)) {
    await putCredentials(deps.pool, cipher, id, side, schema.parse(demo.credentials[side]));
  }

  const row = (await getConnection(deps.pool, id))!;
  const handle = await deps.temporal.workflow.start(pair.workflowType, syncStartOptions(syncInputFor(row), deps.taskQueue));
  return { workflowId: handle.workflowId, connectionId: id };
}
