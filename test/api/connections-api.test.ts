import { type Client } from '@temporalio/client';
import { createApiKey } from '../../api/auth/create-api-key';
import { revokeApiKey } from '../../db/api-keys';
import { syncWorkflowId } from '../../core/sync-messages';
import { type TestDatabase } from '../support/database';
import { eventually } from '../support/worker-process';
import { type ApiScenario, closeApiScenario, openApiScenario, CANARY, type ResponseBody } from './api-harness';

const N = 20;

describe('connections API (/v1) on real Temporal, PostgreSQL and both simulators', () => {
  let db: TestDatabase;
  let client: Client;
  let s: ApiScenario;
  const id = 'acme-asana-1';

  beforeAll(async () => {
    ({ db, client, s } = await openApiScenario('connections-api', { voucher: N / 2, requisition: N / 2 }));
  }, 120_000);
  afterAll(() => closeApiScenario({ db, client, s }, [syncWorkflowId(id)]));

  it('requires a valid bearer key on /v1 but leaves health and the OpenAPI document open', async () => {
    expect((await s.call('GET', '/v1/connections', { key: null })).status).toBe(401);
    expect((await s.call('GET', '/v1/connections', { key: 'mlc_00000000_' + 'A'.repeat(43) })).status).toBe(401);
    expect((await s.call('GET', '/v1/connections', { key: s.adminKey.slice(0, -1) + (s.adminKey.endsWith('A') ? 'B' : 'A') })).status).toBe(401);
    const revoked = await createApiKey(db.pool, { kind: 'admin' });
    expect((await s.call('GET', '/v1/connections', { key: revoked.key })).status).toBe(200);
    await revokeApiKey(db.pool, revoked.prefix);
    expect((await s.call('GET', '/v1/connections', { key: revoked.key })).status).toBe(401);
    expect((await s.call('GET', '/healthz', { key: null })).status).toBe(200);
    const doc = await s.call('GET', '/openapi.json', { key: null });
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    expect(Object.keys(doc.body.paths)).toContain('/v1/connections/{id}/dry-run');
  });

  it('refuses an invalid connection with 422 listing every problem by field path, and creates nothing', async () => {
    const body = s.connectionBody('bad-1') as { config: ResponseBody; credentials: ResponseBody };
    body.config.peoplesoft.baseUrl = 'not a url';
    body.config.asana.projectGid = 'abc';
    body.config.schedule = 'every now and then';
    body.credentials.peoplesoft = { method: 'kerberos', oprid: 'X', password: CANARY.password };
    const res = await s.call('POST', '/v1/connections', { body });
    expect(res.status).toBe(422);
    const paths = (res.body.error.details as Array<{ path: string }>).map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['config.peoplesoft.baseUrl', 'config.asana.projectGid', 'credentials.peoplesoft.method']));
    expect(JSON.stringify(res.body)).not.toContain(CANARY.password);
    const schedule = await s.call('POST', '/v1/connections', { body: { ...s.connectionBody('bad-2'), config: { ...(s.connectionBody('bad-2').config as object), schedule: 'every now and then' } } });
    expect(schedule.status).toBe(422);
    expect(schedule.body.error.details[0].path).toBe('config.schedule');
    expect((await s.call('POST', '/v1/connections', { raw: '{"pair":' })).status).toBe(400);
    expect((await s.call('GET', '/v1/connections/bad-1')).status).toBe(404);
  });

  it('creates a connection: credentials encrypted and shown as set, workflow started with search attributes, UI link', async () => {
    const body = s.connectionBody(id);
    s.checkRequest('POST', '/v1/connections', body);
    const res = await s.call('POST', '/v1/connections', { body });
    expect(res.status).toBe(201);
    expect(res.body.credentials).toEqual({ peoplesoft: { method: 'basic', oprid: CANARY.oprid, password: 'set' }, asana: { method: 'pat', token: 'set' } });
    expect(res.body.temporalUiUrl).toBe(`http://ui.test:8233/namespaces/default/workflows/connection%2F${id}`);
    const desc = await client.workflow.getHandle(syncWorkflowId(id)).describe();
    expect(desc.status.name).toBe('RUNNING');
    expect(desc.searchAttributes).toMatchObject({ CustomerId: ['acme'], ConnectionId: [id], SyncPair: ['peoplesoft-asana'] });
    const stored = await db.pool.query<{ ciphertext: Buffer }>('SELECT ciphertext FROM connection_credentials WHERE connection_id = $1', [id]);
    expect(stored.rows.map((r) => r.ciphertext.toString('latin1')).join()).not.toContain(CANARY.password);
    expect((await s.call('POST', '/v1/connections', { body })).status).toBe(409);
  });

  it('dry run without a worker: every document would be created, and nothing is written', async () => {
    const res = await s.call('POST', `/v1/connections/${id}/dry-run`);
    expect(res.status).toBe(200);
    const docs = res.body.flows.filter((f: { flow: string }) => f.flow.startsWith('ps-'));
    expect(docs.map((f: { counts: { create: number } }) => f.counts.create).reduce((a: number, b: number) => a + b, 0)).toBe(N);
    const tasks = await s.asana.admin.tasks?.();
    if (tasks) expect(tasks).toHaveLength(0);
    const links = await db.pool.query('SELECT 1 FROM record_links WHERE connection_id = $1', [id]);
    expect(links.rowCount).toBe(0);
  });

  it('tests the real systems with the stored credentials, per check', async () => {
    const res = await s.call('POST', `/v1/connections/${id}/test`);
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(true);
    expect(res.body.checks.map((c: { system: string }) => c.system)).toEqual(expect.arrayContaining(['peoplesoft', 'asana']));
    const broken = await s.call('PATCH', `/v1/connections/${id}`, { body: { credentials: { asana: { method: 'pat', token: 'wrong-token' } } } });
    expect(broken.status).toBe(200);
    const failing = await s.call('POST', `/v1/connections/${id}/test`);
    expect(failing.body.ok).toBe(false);
    expect(failing.body.checks.find((c: { system: string; ok: boolean }) => c.system === 'asana' && !c.ok)).toBeDefined();
    expect((await s.call('PATCH', `/v1/connections/${id}`, { body: { credentials: { asana: { method: 'pat', token: s.asanaToken } } } })).status).toBe(200);
    const badSide = await s.call('PATCH', `/v1/connections/${id}`, { body: { credentials: { jira: { token: 'x' } }, config: { schedule: 'x' } } });
    expect(badSide.status).toBe(422);
    expect(badSide.body.error.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(['credentials.jira', 'config.peoplesoft']));
  });

  it('syncs once a worker runs; status, then a dry run shows the one edited document as an update; audit is paged', async () => {
    await s.startWorker();
    const status = await eventually(async () => {
      const r = await s.call('GET', `/v1/connections/${id}/status`);
      return r.status === 200 && r.body.totals.polls >= 1 && r.body.state === 'idle' && r.body;
    }, 120_000, 'first poll');
    expect(status.progress['ps-vouchers-to-asana-tasks'].synced).toBe(N / 2);
    expect(Date.parse(status.lastPollAt)).toBeGreaterThanOrEqual(Date.parse(status.progress['ps-vouchers-to-asana-tasks'].lastPollAt));
    expect(status.openDeadLetters).toBe(0);
    const [v] = await s.psAdmin.rows('voucher');
    await s.psAdmin.updateRow('voucher', { BUSINESS_UNIT: String(v!.BUSINESS_UNIT), VOUCHER_ID: String(v!.VOUCHER_ID) }, { GROSS_AMT: 4321 });
    const dry = await s.call('POST', `/v1/connections/${id}/dry-run`);
    const vouchers = dry.body.flows.find((f: { flow: string }) => f.flow === 'ps-vouchers-to-asana-tasks');
    expect(vouchers.records).toContainEqual(expect.objectContaining({ key: `voucher:${String(v!.BUSINESS_UNIT)}/${String(v!.VOUCHER_ID)}`, action: 'update' }));
    expect(vouchers.counts.create).toBe(0);

    const page1 = await s.call('GET', `/v1/connections/${id}/audit?limit=5`);
    expect(page1.body.events).toHaveLength(5);
    const page2 = await s.call('GET', `/v1/connections/${id}/audit?limit=5&afterId=${page1.body.nextAfterId}`);
    expect(page2.body.events[0].id).toBeGreaterThan(page1.body.events[4].id);
    const key = page1.body.events[0].recordKey;
    const forKey = await s.call('GET', `/v1/connections/${id}/audit?recordKey=${encodeURIComponent(key)}`);
    expect(forKey.body.events.every((e: { recordKey: string }) => e.recordKey === key)).toBe(true);
    expect((await s.call('GET', `/v1/connections/${id}/audit?limit=0`)).status).toBe(422);
  });

  it('updates the schedule through the running workflow, pauses, resumes and syncs now', async () => {
    const config = { ...(s.connectionBody(id).config as object), schedule: '@every 7200s' };
    const res = await s.call('PATCH', `/v1/connections/${id}`, { body: { config } });
    expect(res.status).toBe(200);
    expect(res.body.applied.schedule).toBe('@every 7200s');
    expect((await s.call('GET', `/v1/connections/${id}/status`)).body.schedule).toBe('@every 7200s');

    expect((await s.call('POST', `/v1/connections/${id}/pause`)).body).toEqual({ connectionId: id, action: 'pause', status: 'paused' });
    await eventually(async () => (await s.call('GET', `/v1/connections/${id}/status`)).body.paused === true, 30_000, 'paused');
    expect((await s.call('GET', `/v1/connections?status=paused`)).body.connections.map((c: { id: string }) => c.id)).toEqual([id]);
    expect((await s.call('POST', `/v1/connections/${id}/resume`)).status).toBe(202);
    const before = (await s.call('GET', `/v1/connections/${id}/status`)).body.totals.polls;
    expect((await s.call('POST', `/v1/connections/${id}/sync`)).status).toBe(202);
    await eventually(async () => (await s.call('GET', `/v1/connections/${id}/status`)).body.totals.polls > before, 60_000, 'a poll after sync now');
  });

  it('lists and replays dead letters through the workflow', async () => {
    const list = await s.call('GET', `/v1/connections/${id}/dead-letters`);
    expect(list.body).toEqual({ deadLetters: [] });
    expect((await s.call('POST', `/v1/connections/${id}/dead-letters/replay`, { body: {} })).body).toEqual({ attempted: 0, resolved: 0, stillFailing: 0 });
    expect((await s.call('POST', `/v1/connections/${id}/dead-letters/999/replay`)).status).toBe(404);
  });

  it('scopes customer keys: another customer sees 404 and an empty list, its own customer sees the connection', async () => {
    const other = (await createApiKey(db.pool, { kind: 'customer', customerId: 'globex' })).key;
    const own = (await createApiKey(db.pool, { kind: 'customer', customerId: 'acme' })).key;
    for (const [method, url] of [
      ['GET', `/v1/connections/${id}`],
      ['POST', `/v1/connections/${id}/pause`],
      ['GET', `/v1/connections/${id}/audit`],
      ['DELETE', `/v1/connections/${id}`],
    ] as const) {
      const res = await s.call(method, url, { key: other });
      expect(res.status).toBe(404);
      expect(res.body.error.message).toBe(`connection ${id} not found`);
    }
    expect((await s.call('GET', '/v1/connections', { key: other })).body.connections).toEqual([]);
    expect((await s.call('GET', '/v1/connections?customerId=acme', { key: other })).body.connections).toEqual([]);
    expect((await s.call('POST', '/v1/connections', { key: other, body: s.connectionBody('x-globex', 'acme') })).status).toBe(404);
    expect((await s.call('GET', `/v1/connections/${id}`, { key: own })).status).toBe(200);
    expect((await s.call('GET', '/v1/connections', { key: own })).body.connections).toHaveLength(1);
  });

  it('deletes: the workflow stops, the audit trail stays, secrets are dropped, controls answer 409', async () => {
    const res = await s.call('DELETE', `/v1/connections/${id}`);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('deleted');
    expect(res.body.credentials).toEqual({});
    const desc = await client.workflow.getHandle(syncWorkflowId(id)).describe();
    expect(desc.status.name).toBe('TERMINATED');
    expect((await s.call('GET', `/v1/connections/${id}/audit`)).body.events.length).toBeGreaterThan(0);
    expect((await s.call('POST', `/v1/connections/${id}/sync`)).status).toBe(409);
    expect((await s.call('GET', '/v1/connections')).body.connections).toEqual([]);
    expect((await s.call('GET', '/v1/connections?status=deleted')).body.connections).toHaveLength(1);
  });

  it('never answered with a secret, and never logged one', () => {
    const all = s.responses.join('\n') + s.logLines.join('\n');
    expect(all).not.toContain(CANARY.password);
    expect(all).not.toContain(s.asanaToken);
    expect(s.logLines.some((l) => l.includes(`"connectionId":"${id}"`))).toBe(true);
  });
});
