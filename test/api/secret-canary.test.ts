import { randomBytes } from 'node:crypto';
import { type Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { openSecret, listRegistrations } from '../../db/webhook-registrations';
import { createAsanaConnector } from '../../connectors/asana';
import { RateLimiterRegistry } from '../../connectors/http/rate-limiter';
import { ApiMetrics } from '../../api/metrics';
import { syncWorkflowId } from '../../core/sync-messages';
import { CredentialCipher } from '../../db/credential-cipher';
import { createLogger } from '../../core/logger';
import { type TestDatabase } from '../support/database';
import { eventually } from '../support/worker-process';
import { type ApiScenario, closeApiScenario, openApiScenario, CANARY } from './api-harness';
import { decryptedPayloadHaystacks, findSecrets, historyHaystacks, type Haystack } from './secret-search';
import { PayloadEncryptionCodec } from '../../runtime/payload-codec';

/**
 * The canary: a connection created through the API with known, unique secrets, a full sync, webhook deliveries and a
 * dead letter; then every place a secret could leak to is searched for them. The first test proves the search itself
 * finds a planted secret in each kind of place, so zero hits means something.
 */
describe('secret canary: credentials never leave PostgreSQL unencrypted', () => {
  let db: TestDatabase;
  let client: Client;
  let s: ApiScenario;
  const id = `canary-${randomBytes(3).toString('hex')}`;
  const secrets: Record<string, string> = {};

  beforeAll(async () => {
    ({ db, client, s } = await openApiScenario('secret-canary', { voucher: 3, requisition: 2 }));
    secrets['PeopleSoft password'] = CANARY.password;
    secrets['PeopleSoft basic auth'] = `${CANARY.oprid}:${CANARY.password}`;
    secrets['Asana token'] = s.asanaToken;
  }, 120_000);
  afterAll(() => closeApiScenario({ db, client, s }, [syncWorkflowId(id)]));

  it('the search finds a secret planted in a log line, a response body, a history payload and its protobuf bytes', () => {
    const secret = `planted-${randomBytes(8).toString('hex')}`;
    const lines: string[] = [];
    createLogger('info', 't', { write: (l: string) => void lines.push(l) }).info({ note: `oops ${secret}` }, 'leak');
    const payload = { metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from(JSON.stringify({ creds: { pw: secret } })) };
    const history: temporal.api.history.v1.IHistory = {
      events: [{ eventType: temporal.api.enums.v1.EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED, activityTaskScheduledEventAttributes: { input: { payloads: [payload] } } }],
    };
    const places: Haystack[] = [{ where: 'log', content: lines.join('\n') }, { where: 'response', content: JSON.stringify({ error: { message: `bad ${secret}` } }) }, ...historyHaystacks('history', history)];
    const hits = findSecrets(places, { planted: secret });
    expect(hits).toEqual(expect.arrayContaining(['log: planted', 'response: planted', 'history (protobuf): planted']));
    expect(hits.some((h) => h.startsWith('history event[0]'))).toBe(true);
    // Encoded on the way out: an HTTP Basic header, a JSON-escaped string.
    expect(findSecrets([{ where: 'basic', content: `Authorization: Basic ${Buffer.from(secret).toString('base64')}` }], { planted: secret })).toEqual(['basic: planted']);
    expect(findSecrets([{ where: 'clean', content: 'nothing to see' }], { planted: secret })).toEqual([]);
  });

  it('creates, syncs, receives webhook deliveries and dead-letters without a secret in responses, logs, histories or rows', async () => {
    const created = await s.call('POST', '/v1/connections', { body: s.connectionBody(id) });
    expect(created.status).toBe(201);
    expect(created.body.credentials.peoplesoft.password).toBe('set');
    expect((await s.call('POST', `/v1/connections/${id}/test`)).body.ok).toBe(true);
    // One voucher is sure to be pending, so its task can be completed by a person (a webhook delivery).
    const [v] = await s.psAdmin.rows('voucher');
    await s.psAdmin.updateRow('voucher', { BUSINESS_UNIT: String(v!.BUSINESS_UNIT), VOUCHER_ID: String(v!.VOUCHER_ID) }, { APPR_STATUS: 'P' });
    await s.startWorker('info');

    // A full sync: every document becomes a task, and the webhook is registered (its handshake secret joins the canaries).
    await eventually(async () => {
      const r = await s.call('GET', `/v1/connections/${id}/status`);
      return r.status === 200 && r.body.totals.polls >= 1 && r.body.state === 'idle';
    }, 120_000, 'first poll');
    const tasks = await s.asana.admin.tasks();
    expect(tasks).toHaveLength(5);
    const cipher = new CredentialCipher(s.masterKey);
    const hookSecret = await eventually(async () => {
      const [reg] = await listRegistrations(db.pool, id, 'asana');
      return reg?.status === 'active' && openSecret(cipher, reg);
    }, 60_000, 'an active webhook registration');
    secrets['Asana webhook secret'] = hookSecret;

    // Webhook deliveries: a task marked Approved and completed becomes a PeopleSoft decision (written with the canary
    // password) ...
    const status = s.world.customFields.find((c) => c.name === 'Approval Status')!;
    const asana = createAsanaConnector(
      { baseUrl: s.asana.apiUrl, workspaceGid: s.world.workspaceGid, projectGid: s.world.projectGid, token: s.asanaToken },
      { limiters: new RateLimiterRegistry() },
    );
    const task = tasks.find((t) => String(t.name).startsWith(`Approve voucher ${String(v!.BUSINESS_UNIT)}/${String(v!.VOUCHER_ID)} `))!;
    expect(task.completed).toBe(false);
    await asana.updateTask(String(task.gid), { customFields: { [status.gid]: status.enumOptions.find((o) => o.name === 'Approved')!.gid } });
    await s.asana.admin.completeTask(String(task.gid), true, s.world.users[1]!.gid);
    await eventually(async () => (await s.psAdmin.effects()).length > 0, 60_000, `a PeopleSoft decision for task ${String(task.gid)}`);
    // ... and reopening it afterwards is refused into a dead letter with the partner's answer.
    await s.asana.admin.completeTask(String(task.gid), false, s.world.users[1]!.gid);
    await eventually(async () => (await db.pool.query(`SELECT 1 FROM dead_letters WHERE connection_id = $1`, [id])).rowCount! > 0, 60_000, 'a dead letter');
    expect((await s.asana.admin.deliveries()).filter((d) => d.kind === 'events').length).toBeGreaterThanOrEqual(2);
    await s.call('GET', `/v1/connections/${id}/dead-letters`);
    await s.call('GET', `/v1/connections/${id}/audit?limit=100`);
    await s.call('GET', `/v1/connections/${id}`);
    await s.call('GET', '/v1/connections');

    const places: Haystack[] = [];
    // (a) Every API response body of this test.
    s.responses.forEach((body, i) => places.push({ where: `API response #${i}`, content: body }));
    // (b) The API's and the worker's logs (the worker ran at info level in its own process: stdout and stderr).
    expect(s.logLines.length).toBeGreaterThan(0);
    expect(s.worker!.output.length).toBeGreaterThan(1);
    places.push({ where: 'API log', content: s.logLines.join('\n') }, { where: 'worker output', content: s.worker!.output.join('\n') });
    // (c) The Temporal histories of every run of the connection, continued-as-new runs included, from the server.
    const runIds = new Set<string>();
    for await (const w of client.workflow.list({ query: `ConnectionId = "${id}"` })) runIds.add(`${w.workflowId} ${w.runId}`);
    let runId: string | undefined = (await client.workflow.getHandle(syncWorkflowId(id)).describe()).runId;
    while (runId) {
      runIds.add(`${syncWorkflowId(id)} ${runId}`);
      const history = await client.workflow.getHandle(syncWorkflowId(id), runId).fetchHistory();
      runId = history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
    }
    let events = 0;
    let decryptedPayloads = 0;
    const codec = new PayloadEncryptionCodec(s.masterKey);
    for (const run of runIds) {
      const [workflowId, rid] = run.split(' ') as [string, string];
      const history = await client.workflow.getHandle(workflowId, rid).fetchHistory();
      events += history.events?.length ?? 0;
      places.push(...historyHaystacks(`history ${run}`, history));
      const decrypted = await decryptedPayloadHaystacks(`history ${run}`, history, codec);
      decryptedPayloads += decrypted.length / 2;
      places.push(...decrypted);
    }
    // The payloads were searched as plaintext too, not only as ciphertext (where nothing could ever match).
    expect(decryptedPayloads).toBeGreaterThan(5);
    expect(events).toBeGreaterThan(20);
    // (d) Every row of every table (error messages, dead letters with raw partner answers, audit error bodies, config).
    const tables = await db.pool.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`);
    let rows = 0;
    for (const { table_name } of tables.rows) {
      const dump = await db.pool.query<{ row: string }>(`SELECT t::text AS row FROM "${table_name}" t`);
      rows += dump.rowCount ?? 0;
      places.push({ where: `table ${table_name}`, content: dump.rows.map((r) => r.row).join('\n') });
    }
    const letters = await db.pool.query<{ error_message: string }>('SELECT error_message FROM dead_letters WHERE connection_id = $1', [id]);
    expect(letters.rows[0]!.error_message.length).toBeGreaterThan(0);
    expect(rows).toBeGreaterThan(10);

    expect(findSecrets(places, secrets)).toEqual([]);
  }, 300_000);

  // Runs on the state the sync above left behind: 5 tasks, a handshake and two deliveries, one dead letter.
  it('/metrics: webhook deliveries accepted and rejected, API requests by route, connections, dead letters and records from PostgreSQL', async () => {
    const unsigned = await fetch(`${s.api.baseUrl}/webhooks/asana/${id}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"events":[]}' });
    expect(unsigned.status).toBe(401);
    const res = await fetch(`${s.api.baseUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    const value = (series: string) => {
      const line = text.split('\n').find((l) => l.startsWith(`${series} `));
      return line === undefined ? undefined : Number(line.slice(series.length + 1));
    };
    expect(value('mlc_webhook_deliveries_total{partner="asana",outcome="accepted"}')).toBeGreaterThanOrEqual(3);
    expect(value('mlc_webhook_deliveries_total{partner="asana",outcome="rejected"}')).toBe(1);
    expect(value('mlc_api_requests_total{method="POST",route="/v1/connections",status="201"}')).toBe(1);
    expect(value('mlc_api_requests_total{method="GET",route="/v1/connections/:id/status",status="200"}')).toBeGreaterThanOrEqual(1);
    expect(value('mlc_connections{pair="peoplesoft-asana",status="active"}')).toBe(1);
    expect(value('mlc_dead_letters_open{pair="peoplesoft-asana",flow="inbox"}')).toBe(1);
    expect(value('mlc_records{pair="peoplesoft-asana",flow="ps-vouchers-to-asana-tasks",outcome="ok"}')).toBeGreaterThanOrEqual(3);
    expect(value('mlc_records{pair="peoplesoft-asana",flow="ps-requisitions-to-asana-tasks",outcome="ok"}')).toBeGreaterThanOrEqual(2);
    // Labels name pairs and flows, never customers, connections or secrets.
    expect(text).not.toContain(id);
    expect(text).not.toContain('acme');
    expect(findSecrets([{ where: '/metrics', content: text }], secrets)).toEqual([]);
    // Each app has its own registry: a fresh one has counted nothing.
    const fresh = await new ApiMetrics(db.pool).registry.getSingleMetricAsString('mlc_webhook_deliveries_total');
    expect(fresh).not.toMatch(/outcome="accepted"/);
  });
});
