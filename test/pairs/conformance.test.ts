import { randomUUID } from 'node:crypto';
import { startDemoSimulators } from '../support/demo-simulators';
import { type Client } from '@temporalio/client';
import { shippedFlowRegistry } from '../../activities';
import { createApp } from '../../api/app';
import { createApiKey } from '../../api/auth/create-api-key';
import { statusQuery, syncWorkflowId } from '../../core/sync-messages';
import { CredentialCipher } from '../../db/credential-cipher';
import { pairs } from '../../pairs';
import { switchedOn } from '../../pairs/derive';
import { type PairDefinition } from '../../pairs/types';
import { startDemoConnection } from '../../runtime/demo-connection';
import { createLogger } from '../../core/logger';
import { listen, type Listening } from '../../core/listen';
import { type RunningSimulator } from '../../simulators/kit/types';
import * as workflows from '../../workflows';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { testMasterKey } from '../support/env';
import { testClient, uniqueTaskQueue } from '../support/temporal';
import { eventually, type WorkerProcess } from '../support/worker-process';
import { startProductWorker } from './pair-harness';

/**
 * What every pair in pairs/index.ts must do, checked the same way for each: a new pair gets this suite by being
 * listed. Runs the pair's demo against its simulators, through the real API, worker, Temporal and PostgreSQL.
 */
describe.each(pairs.map((p) => [p.id, p] as [string, PairDefinition]))('pair %s conforms to its declaration', (_id, pair) => {
  let db: TestDatabase;
  let client: Client;
  let api: Listening;
  let adminKey: string;
  let worker: WorkerProcess | undefined;
  const sims: RunningSimulator[] = [];
  const simulators: Record<string, string> = {};
  const masterKey = testMasterKey();
  const taskQueue = uniqueTaskQueue('conformance');
  const connectionId = `conf-${randomUUID().slice(0, 8)}`;
  const demoId = `conf-demo-${randomUUID().slice(0, 8)}`;

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${api.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${adminKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };

  beforeAll(async () => {
    db = await createTestDatabase(`conformance-${pair.id}`);
    client = await testClient();
    Object.assign(simulators, await startDemoSimulators(pair.demo.simulators, sims, { demoRecords: 5 }));
    api = await listen(createApp({ pool: db.pool, temporal: client, logger: createLogger('silent', 'api'), taskQueue, masterKey }));
    adminKey = (await createApiKey(db.pool, { kind: 'admin' }, 'conformance')).key;
    worker = await startProductWorker({ pool: db.pool, taskQueue, masterKey });
  }, 120_000);
  afterAll(async () => {
    for (const id of [connectionId, demoId]) await client?.workflow.getHandle(syncWorkflowId(id)).terminate('test finished').catch(() => undefined);
    await worker?.stop();
    await api?.close();
    for (const sim of sims) await sim.close();
    await client?.connection.close();
    await db?.drop();
  });

  it('exports its workflow type from workflows/index.ts', () => {
    expect(typeof (workflows as Record<string, unknown>)[pair.workflowType]).toBe('function');
  });

  it('registers every flow under (pair, flow), its inbox and its housekeeping with the worker', () => {
    const registry = shippedFlowRegistry({ pool: db.pool, cipher: new CredentialCipher(masterKey) });
    expect(Object.keys(registry.flows[pair.id] ?? {}).sort()).toEqual(pair.flows.map((f) => f.name).sort());
    expect(registry.inbox[pair.id] !== undefined).toBe(pair.inbox !== undefined);
    expect((registry.housekeeping?.[pair.id] ?? []).map((h) => h.name)).toEqual((pair.housekeeping ?? []).map((h) => h.name));
  });

  it('round-trips its config and credential schemas through the API, secrets never shown', async () => {
    const demo = await pair.demo.connect({ simulators, apiUrl: api.baseUrl });
    const created = await call('POST', '/v1/connections', { pair: pair.id, id: connectionId, customerId: 'conformance', config: demo.config, credentials: demo.credentials });
    expect(created.status).toBe(201);
    expect(created.body.config).toEqual(pair.configSchema.parse(demo.config));
    expect(Object.keys(created.body.credentials).sort()).toEqual(Object.keys(pair.credentials).sort());
    // Each side shows its non-secret fields as sent and its secrets as 'set'; a secret's value appears nowhere.
    for (const [side, fields] of Object.entries(demo.credentials)) {
      const view = created.body.credentials[side] as Record<string, unknown>;
      const secrets = Object.entries(fields).filter(([key]) => view[key] === 'set');
      expect(secrets.length).toBeGreaterThan(0);
      for (const [, value] of secrets) expect(JSON.stringify(created.body)).not.toContain(String(value));
    }

    const shown = await call('GET', `/v1/connections/${connectionId}`);
    expect(shown.body.config).toEqual(created.body.config);
    const patched = await call('PATCH', `/v1/connections/${connectionId}`, { config: demo.config, credentials: demo.credentials });
    expect(patched.status).toBe(200);
    // A side left out of a create is refused, naming it.
    const [firstSide] = Object.keys(pair.credentials);
    const rest = Object.fromEntries(Object.entries(demo.credentials).filter(([side]) => side !== firstSide));
    const missing = await call('POST', '/v1/connections', { pair: pair.id, customerId: 'conformance', config: demo.config, credentials: rest });
    expect(missing.status).toBe(422);
    expect(JSON.stringify(missing.body.error.details)).toContain(`credentials.${firstSide}`);
  });

  it('previews exactly its previewable, enabled flows in a dry run', async () => {
    const res = await call('POST', `/v1/connections/${connectionId}/dry-run`);
    expect(res.status).toBe(200);
    const config = pair.configSchema.parse((await call('GET', `/v1/connections/${connectionId}`)).body.config);
    const expected = pair.flows.filter((f) => f.previewable && switchedOn(config, f.switch)).map((f) => f.name);
    expect(res.body.flows.map((f: { flow: string }) => f.flow)).toEqual(expected);
    expect(res.body.flows.filter((f: { error?: string }) => f.error)).toEqual([]);
  }, 120_000);

  it('starts its demo against the simulators: the first poll runs every enabled flow without an error', async () => {
    const demo = await startDemoConnection(pair, { pool: db.pool, temporal: client, taskQueue, masterKey, simulators, apiUrl: api.baseUrl, connectionId: demoId });
    const handle = client.workflow.getHandle(demo.workflowId);
    const status = await eventually(async () => {
      const s = await handle.query(statusQuery);
      return s.totals.polls >= 1 && s.state === 'idle' && s;
    }, 120_000, 'the demo connection\'s first poll');
    const flows = Object.entries(status.progress);
    expect(flows.length).toBeGreaterThan(0);
    expect(flows.filter(([, p]) => p.lastError)).toEqual([]);
  }, 180_000);

  const receivers = pair.webhooks ?? [];
  it(`verifies deliveries for each of its ${receivers.length} webhook receiver(s): unsigned refused, signed accepted`, async () => {
    for (const receiver of receivers) {
      const url = `${api.baseUrl}/webhooks/${receiver.partner}/${connectionId}`;
      const sample = await receiver.signedSample({ pool: db.pool, cipher: new CredentialCipher(masterKey) }, connectionId);
      const unsigned = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: sample.body });
      expect(unsigned.status).toBe(401);
      const signed = await fetch(url, { method: 'POST', headers: sample.headers, body: sample.body });
      expect(signed.status).toBe(200);
      expect(((await signed.json()) as { accepted: number }).accepted).toBeGreaterThan(0);
    }
    // No receiver declared: the route family has nothing for this pair's connections.
    if (receivers.length === 0) expect((await fetch(`${api.baseUrl}/webhooks/none/${connectionId}`, { method: 'POST', body: '{}' })).status).toBe(404);
  }, 60_000);
});
