import { type Client, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { createApiKey } from '../../api/auth/create-api-key';
import { ID_NOT_AVAILABLE } from '../../api/error-mapping';
import { configureOutboundPolicy } from '../../connectors/http/outbound-policy';
import { replayDeadLettersUpdate, statusQuery, syncWorkflowId } from '../../core/sync-messages';
import { createLogger } from '../../core/logger';
import { type TestDatabase } from '../support/database';
import { eventually } from '../support/worker-process';
import { FuzzWorld, histogramLine } from './api-fuzz-world';
import { type ApiScenario, closeApiScenario, openApiScenario, type ResponseBody } from './api-harness';

/** The short fuzz run of `npm test`; the long one is test/faults/api-fuzz.faults.ts (`npm run test:faults`). */
const FUZZ_RUNS = 400;

/** Issue 16: what a hostile or careless caller sends gets a 4xx with the error shape, never a 500 or a wedged run. */
describe('hostile and careless callers', () => {
  let db: TestDatabase;
  let client: Client;
  let s: ApiScenario;
  const id = 'acme-hostile';
  const raced = 'acme-raced';

  beforeAll(async () => {
    ({ db, client, s } = await openApiScenario('hostile-callers', { voucher: 2, requisition: 2 }));
    await s.startWorker();
    expect((await s.call('POST', '/v1/connections', { body: s.connectionBody(id) })).status).toBe(201);
  }, 180_000);
  afterAll(async () => {
    const ids = db ? (await db.pool.query<{ id: string }>('SELECT id FROM connections')).rows.map((r) => syncWorkflowId(r.id)) : [];
    await closeApiScenario({ db, client, s }, ids);
  });

  /** A raw request (bad encodings are not what `s.call` sends): status and the parsed body. */
  const raw = async (method: string, path: string, init: { body?: string | Buffer; headers?: Record<string, string>; key?: string | null } = {}) => {
    const key = init.key === undefined ? s.adminKey : init.key;
    const res = await fetch(`${s.api.baseUrl}${path}`, { method, body: init.body, headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...init.headers } });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as ResponseBody };
  };
  const expectErrorShape = (res: { status: number; body: ResponseBody }, status: number) => {
    expect([res.status, res.body]).toEqual([status, { error: expect.objectContaining({ code: expect.any(String), message: expect.any(String), requestId: expect.any(String) }) }]);
  };
  const json = { 'content-type': 'application/json' };

  it('answers malformed percent-encodings and bodies that are not what their Content-Encoding says with 4xx, not 500', async () => {
    expectErrorShape(await raw('GET', '/v1/connections/%ff'), 400);
    expectErrorShape(await raw('GET', '/v1/connections/%E0%A4%A'), 400);
    expectErrorShape(await raw('POST', '/webhooks/asana/%', { key: null }), 400);
    expectErrorShape(await raw('POST', '/v1/connections', { body: 'not gzip at all', headers: { ...json, 'content-encoding': 'gzip' } }), 400);
    expectErrorShape(await raw('POST', '/v1/connections', { body: 'x', headers: { ...json, 'content-encoding': 'compress' } }), 415);
    expectErrorShape(await raw('POST', '/v1/connections', { body: '{"pair":', headers: json }), 400);
    // 100,000 levels of nesting within the body limit: parsed or refused, never a stack overflow or a slow path walk.
    const deep = await raw('POST', '/v1/connections', { body: `${'['.repeat(100_000)}"\u0000"${']'.repeat(100_000)}`, headers: json });
    expect([400, 422]).toContain(deep.status);
  });

  it('refuses NUL and unpaired surrogates in path, query and JSON body with a 422 naming the field', async () => {
    const field = async (method: string, path: string, body?: string) => {
      const res = await raw(method, path, { body, headers: body ? json : {}, key: path.startsWith('/webhooks') ? null : undefined });
      expectErrorShape(res, 422);
      return (res.body.error.details as Array<{ path: string }>).map((d) => d.path);
    };
    expect(await field('GET', '/v1/connections/%00')).toEqual(['id']);
    expect(await field('POST', '/webhooks/asana/%00')).toEqual(['connectionId']);
    expect(await field('GET', '/v1/connections?pair=%00')).toEqual(['pair']);
    expect(await field('GET', '/v1/connections?afterId=a%00b')).toEqual(['afterId']);
    expect(await field('GET', `/v1/connections/${id}/dead-letters?flow=%00`)).toEqual(['flow']);
    expect(await field('GET', `/v1/connections/${id}/audit?recordKey=x%00`)).toEqual(['recordKey']);
    const body = s.connectionBody('acme-nul') as { config: ResponseBody };
    body.config.businessUnitApprovers = { US001: 'a\u0000b' };
    body.config.peoplesoft.baseUrl = `${body.config.peoplesoft.baseUrl}\u0000`;
    expect((await field('POST', '/v1/connections', JSON.stringify(body))).sort()).toEqual(['config.businessUnitApprovers.US001', 'config.peoplesoft.baseUrl']);
    // A lone surrogate as JSON escape (JSON.stringify would write it the same way).
    expect(await field('PATCH', `/v1/connections/${id}`, '{"config":{"schedule":"\\ud800"}}')).toEqual(['config.schedule']);
    expect(await field('POST', `/v1/connections/${id}/dead-letters/replay`, '{"flow":"\\u0000"}')).toEqual(['flow']);
    expect((await s.call('GET', '/v1/connections/acme-nul')).status).toBe(404);
  });

  it('validates dead-letter ids as positive integers within bigint before any query', async () => {
    for (const bad of ['99999999999999999999', '9223372036854775808', '0', '-1', '1.5', '1e3', 'abc']) {
      const res = await s.call('POST', `/v1/connections/${id}/dead-letters/${bad}/replay`);
      expect([bad, res.status, res.body.error.details?.[0]?.path]).toEqual([bad, 422, 'deadLetterId']);
    }
    expect((await s.call('POST', `/v1/connections/${id}/dead-letters/9007199254740991/replay`)).status).toBe(404);
    expect((await s.call('GET', `/v1/connections/${id}/audit?afterId=99999999999999999999`)).status).toBe(422);
  });

  it('a replay filter no database can run is refused by the workflow update, and the connection is not wedged', async () => {
    const handle = client.workflow.getHandle(syncWorkflowId(id));
    // Straight to the workflow, past the API's edge check: the update's validator refuses it.
    const refused = await handle.executeUpdate(replayDeadLettersUpdate, { args: [{ flow: 'a\u0000b' }] }).then(() => undefined, (e: unknown) => e);
    expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(((refused as Error).cause as Error | undefined)?.message).toMatch(/flow must not contain NUL/);
    const refusedIds = await handle.executeUpdate(replayDeadLettersUpdate, { args: [{ ids: [1e20] }] }).then(() => undefined, (e: unknown) => e);
    expect(refusedIds).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((await handle.query(statusQuery)).state).not.toBe('replaying');
    const ok = await s.call('POST', `/v1/connections/${id}/dead-letters/replay`, { body: { flow: 'ps-vouchers-to-asana-tasks' } });
    expect([ok.status, ok.body]).toEqual([200, { attempted: 0, resolved: 0, stillFailing: 0 }]);
  });

  it('the replay activity fails non-retryably on a database data error (it never retries a NUL forever)', async () => {
    const { replayDeadLetters } = createActivities({ pool: db.pool, logger: createLogger('silent'), masterKey: s.masterKey });
    const env = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') });
    const failure = await env.run(replayDeadLetters, { connectionId: id, filter: { flow: 'a\u0000b' }, workflowId: 'w', runId: 'r' }).then(() => undefined, (e: unknown) => e);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect((failure as ApplicationFailure).nonRetryable).toBe(true);
    expect((failure as ApplicationFailure).type).toBe('ReplayRejected');
  });

  it('six concurrent creates of one new id: exactly one 201, the others 409', async () => {
    const body = s.connectionBody(raced);
    const results = await Promise.all(Array.from({ length: 6 }, () => s.call('POST', '/v1/connections', { body })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.error.message).toBe(ID_NOT_AVAILABLE);
    const rows = await db.pool.query('SELECT 1 FROM connections WHERE id = $1', [raced]);
    expect(rows.rowCount).toBe(1);
  });

  it("creating with another customer's id answers exactly like an id of your own that is taken", async () => {
    const globex = (await createApiKey(db.pool, { kind: 'customer', customerId: 'globex' })).key;
    const acme = (await createApiKey(db.pool, { kind: 'customer', customerId: 'acme' })).key;
    const theirs = await s.call('POST', '/v1/connections', { body: s.connectionBody(id, 'globex'), key: globex });
    const ours = await s.call('POST', '/v1/connections', { body: s.connectionBody(id, 'acme'), key: acme });
    expect(theirs.status).toBe(409);
    expect({ code: theirs.body.error.code, message: theirs.body.error.message }).toEqual({ code: ours.body.error.code, message: ours.body.error.message });
    expect(JSON.stringify(theirs.body)).not.toContain('acme');
  });

  it('the webhook receiver answers an unknown connection exactly like a known one with a bad signature', async () => {
    const hook = (connectionId: string, headers: Record<string, string>) => raw('POST', `/webhooks/asana/${connectionId}`, { body: '{"events":[]}', headers: { ...json, ...headers }, key: null });
    for (const headers of [{ 'x-hook-signature': 'ab'.repeat(32) }, {}, { 'x-hook-secret': 's'.repeat(32) }] as Array<Record<string, string>>) {
      const known = await hook(id, headers);
      const unknown = await hook('no-such-connection', headers);
      expect(known.status).toBe(401);
      expect({ status: unknown.status, code: unknown.body.error.code, message: unknown.body.error.message }).toEqual({ status: known.status, code: known.body.error.code, message: known.body.error.message });
    }
  });

  it('POST /codec/decode {} is an empty payload list', async () => {
    const res = await s.call('POST', '/codec/decode', { body: {} });
    expect([res.status, res.body]).toEqual([200, { payloads: [] }]);
  });

  it('logs headers by allow-list: cookies, API keys and any other credential header are redacted', async () => {
    const session = await fetch(`${s.api.baseUrl}/codec/session`, { method: 'POST', headers: { authorization: `Bearer ${s.adminKey}` } });
    const cookie = (session.headers.get('set-cookie') ?? '').split(';')[0]!;
    expect(cookie).toMatch(/=./);
    const secrets = ['careless-api-key-canary', 'custom-token-canary', cookie.split('=')[1]!];
    await raw('POST', '/codec/decode', { body: '{}', headers: { ...json, cookie }, key: null });
    await raw('GET', '/v1/connections', { headers: { 'x-api-key': secrets[0]!, 'x-partner-token': secrets[1]!, 'user-agent': 'hostile-test' } });
    await eventually(() => Promise.resolve(s.logLines.some((l) => l.includes('hostile-test'))), 5_000, 'the request logged');
    const logs = s.logLines.join('\n');
    for (const secret of [...secrets, s.adminKey]) expect(logs.includes(secret)).toBe(false);
    expect(logs).toContain('"x-api-key":"[redacted]"');
    expect(logs).toContain('"set-cookie":"[redacted]"');
    expect(logs).toContain('"cookie":"[redacted]"');
  });

  it('SSRF: internal partner URLs are refused at create and update (422 naming the field), and /test and /dry-run send nothing', async () => {
    configureOutboundPolicy({ allowPrivateNetworks: false });
    try {
      const body = s.connectionBody('acme-ssrf') as { config: ResponseBody };
      body.config.peoplesoft.baseUrl = 'https://169.254.169.254';
      body.config.asana.baseUrl = 'https://[::ffff:127.0.0.1]/api/1.0';
      body.config.asana.tokenUrl = 'file:///etc/passwd';
      const created = await s.call('POST', '/v1/connections', { body });
      expect(created.status).toBe(422);
      expect(created.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['config.asana.baseUrl', 'config.asana.tokenUrl', 'config.peoplesoft.baseUrl']);
      const current = (await s.call('GET', `/v1/connections/${id}`)).body.config;
      const patched = await s.call('PATCH', `/v1/connections/${id}`, { body: { config: { ...current, peoplesoft: { ...current.peoplesoft, baseUrl: 'https://2130706433:8443' } } } });
      // The simulators' http://127.0.0.1 URLs it still holds are refused as well now.
      expect(patched.status).toBe(422);
      expect(patched.body.error.details.map((d: { path: string }) => d.path)).toContain('config.peoplesoft.baseUrl');
      // The existing connection points at the simulators on 127.0.0.1: with private networks refused, nothing is sent.
      const requestsBefore = JSON.stringify(await s.psAdmin.requests());
      const test = await s.call('POST', `/v1/connections/${id}/test`);
      expect(test.body.ok).toBe(false);
      const refused = (c: { ok: boolean; message: string; code?: string }) => !c.ok && (c.code === 'OUTBOUND_URL_REFUSED' || /OUTBOUND_URL_REFUSED|outbound URL policy/.test(c.message));
      expect(test.body.checks.filter((c: { ok: boolean; message: string }) => !refused(c))).toEqual([]);
      const dry = await s.call('POST', `/v1/connections/${id}/dry-run`);
      expect(dry.body.flows.filter((f: { flow: string; error?: string }) => f.flow.startsWith('ps-') && !/OUTBOUND_URL_REFUSED|outbound URL policy/.test(f.error ?? ''))).toEqual([]);
      expect(JSON.stringify(await s.psAdmin.requests())).toBe(requestsBefore);
    } finally {
      configureOutboundPolicy({ allowPrivateNetworks: true });
    }
  });

  // Last: generated requests may pause, patch or delete the connections above.
  it(`every route of /openapi.json answers ${FUZZ_RUNS} generated hostile requests without a 5xx, every 4xx with the error shape`, async () => {
    const fuzz = new FuzzWorld();
    await fuzz.attach(db, client, s);
    const result = await fuzz.run(FUZZ_RUNS);
    process.stdout.write(histogramLine('api fuzz (npm test)', result));
    expect(result.failures).toEqual([]);
    expect(result.requests).toBe(FUZZ_RUNS);
  });
});
