import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAsanaConnector } from '../../connectors/asana';
import { RateLimiterRegistry } from '../../connectors/http/rate-limiter';
import { startAsanaSimulator, type RunningAsanaSimulator } from '../../simulators/asana';
import { AsanaContract } from './asana-openapi';

/**
 * Every request the Asana connector sends, and every answer the simulator gives, checked against Asana's own
 * OpenAPI spec. Requests are captured at the simulator (its request log), not in the connector.
 */
let contract: AsanaContract;
let sim: RunningAsanaSimulator;
let receiver: Server;
let target = '';

beforeAll(async () => {
  contract = AsanaContract.fromSpecFile();
  sim = await startAsanaSimulator({ port: 0 });
  await sim.admin.settings({ webhooks: { delivery: 'manual' } });
  receiver = createServer((req, res) => {
    req.resume();
    const secret = req.headers['x-hook-secret'];
    res.writeHead(200, typeof secret === 'string' ? { 'X-Hook-Secret': secret } : {}).end();
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  target = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/asana`;
});
afterAll(async () => {
  await sim.close();
  await new Promise((r) => receiver.close(r));
});

describe('Asana contract: connector requests and simulator responses match asana_oas.yaml', () => {
  it('validates every call of a full connector session', async () => {
    const world = await sim.admin.seed({ tasks: 120 });
    const asana = createAsanaConnector(
      { baseUrl: sim.apiUrl, workspaceGid: world.workspaceGid, projectGid: world.projectGid, token: world.users[0]!.token },
      { limiters: new RateLimiterRegistry() },
    );
    const f = (name: string) => world.customFields.find((c) => c.name === name)!;
    await sim.admin.clearRequests();

    const created = await asana.createTask({
      name: 'Contract',
      notes: 'n',
      dueOn: '2025-01-31',
      customFields: {
        [f('External Key').gid]: 'PS-9',
        [f('Amount').gid]: 10.25,
        [f('Approval Status').gid]: f('Approval Status').enumOptions[0]!.gid,
        [f('Invoice Date').gid]: '2025-01-02',
      },
    });
    await asana.updateTask(created.gid, { completed: true, customFields: { [f('Amount').gid]: null } });
    await asana.getTask(created.gid);
    for await (const page of asana.listProjectTasks()) expect(page.length).toBeGreaterThan(0);
    await asana.listProjectTasksPage({ modifiedSince: new Date(Date.now() - 60_000), limit: 50 });
    expect(await asana.validateMapping({ key: { fieldGid: f('External Key').gid, type: 'text' } })).toEqual([]);
    expect((await asana.findTaskByExternalKey(f('External Key').gid, 'PS-9'))?.gid).toBe(created.gid);
    const { webhook } = await asana.createWebhook({ target, filters: [{ resource_type: 'task', action: 'changed', fields: ['completed'] }] });
    await asana.listWebhooks();
    await asana.deleteWebhook(webhook.gid);
    await asana.deleteWebhook(webhook.gid); // 404
    await asana.createTask({ name: 'bad', customFields: { [f('Amount').gid]: 'NaN' } }).catch(() => undefined); // 400
    await sim.admin.setFaults({ burst429: { count: 1, retryAfterSeconds: 0 } });
    await asana.getTask(created.gid); // 429 then 200
    await sim.admin.setFaults({});

    const log = await sim.admin.requests();
    const statuses = new Set(log.map((r) => r.status));
    for (const s of [200, 201, 400, 404, 429]) expect(statuses).toContain(s);
    const operations = new Set(log.map((r) => `${r.method} ${contract.find(r.method, r.path)?.template ?? r.path}`));
    expect([...operations].sort()).toEqual(
      [
        'DELETE /webhooks/{webhook_gid}',
        'GET /projects/{project_gid}/custom_field_settings',
        'GET /projects/{project_gid}/tasks',
        'GET /tasks',
        'GET /tasks/{task_gid}',
        'GET /webhooks',
        'POST /tasks',
        'POST /webhooks',
        'PUT /tasks/{task_gid}',
      ].sort(),
    );
    const issues = contract.validateLog(log);
    expect(issues).toEqual([]);
    // A date-only custom field reads as Asana documents it: a date and `date_time: null` (spec patch 3).
    const read = log.find((r) => r.method === 'GET' && r.path === `/tasks/${created.gid}` && r.status === 200)!.responseBody as { data: { custom_fields: Array<{ gid: string; date_value?: unknown }> } };
    expect(read.data.custom_fields.find((c) => c.gid === f('Invoice Date').gid)!.date_value).toEqual({ date: '2025-01-02', date_time: null });
  });

  it('validates the simulator answers to raw calls (compact lists, opt_fields, errors, 401)', async () => {
    const world = await sim.admin.seed({ tasks: 3 });
    const token = world.users[0]!.token;
    await sim.admin.clearRequests();
    const get = (path: string, auth = true) => fetch(`${sim.apiUrl}${path}`, { headers: auth ? { authorization: `Bearer ${token}` } : {} });
    await get(`/projects/${world.projectGid}/tasks`);
    await get(`/projects/${world.projectGid}/tasks?limit=2&opt_fields=name,custom_fields,assignee.name,memberships.project.name`);
    await get(`/tasks/${world.taskGids[0]!}`);
    await get(`/tasks/${world.taskGids[0]!}`, false);
    await get('/tasks');
    await get(`/projects/${world.projectGid}/custom_field_settings`);
    await get(`/webhooks?workspace=${world.workspaceGid}`);
    const log = await sim.admin.requests();
    expect(log.map((r) => r.status)).toEqual([200, 200, 200, 401, 400, 200, 200]);
    const issues = log.flatMap((r) => contract.validateResponse(r.method, r.path, r.status ?? 0, r.responseBody).map((e) => `${r.method} ${r.path}: ${e}`));
    expect(issues).toEqual([]);
  });

  it('rejects what the spec rejects (the check can fail)', () => {
    expect(contract.validateRequest('POST', '/tasks', {}, { data: { name: 42, projects: 'not-an-array' } })).toEqual(
      expect.arrayContaining([expect.stringContaining('/data/name must be string'), expect.stringContaining('/data/projects must be array')]),
    );
    expect(contract.validateRequest('POST', '/tasks', {}, { data: { name: 'x', completed_at: '2020-01-01T00:00:00Z' } }).join()).toContain(
      'completed_at',
    );
    expect(contract.validateRequest('GET', '/tasks/1', { opt_fields: 'name,not_a_field' }, undefined).join()).toContain('opt_fields');
    expect(contract.validateRequest('GET', '/tasks/1', { colour: 'red' }, undefined).join()).toContain('colour is not defined');
    expect(contract.validateRequest('GET', '/webhooks', {}, undefined).join()).toContain('workspace is required');
    expect(contract.validateRequest('GET', '/tasks', { limit: '500' }, undefined).join()).toContain('must be <= 100');
    expect(contract.validateResponse('GET', '/tasks/1', 200, { data: { gid: '1', completed: 'yes' } }).join()).toContain('/data/completed must be boolean');
    expect(contract.validateResponse('GET', '/tasks', 200, { data: [], next_page: { offset: 1 } }).join()).toContain('/next_page/offset must be string');
    expect(contract.validateResponse('POST', '/tasks', 202, { data: {} }).join()).toContain('status 202 is not declared');
    expect(contract.validateResponse('GET', '/tasks/1', 200, { data: { gid: '1', assignee: null, completed_at: null } })).toEqual([]);
  });
});
