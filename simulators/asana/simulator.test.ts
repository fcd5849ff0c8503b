import { startAsanaSimulator, type RunningAsanaSimulator } from '.';
import type { SeedResult } from './seed';

let sim: RunningAsanaSimulator;
let world: SeedResult;
let auth: Record<string, string>;

const call = async (method: string, path: string, body?: unknown, headers = auth) => {
  const res = await fetch(`${sim.apiUrl}${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
};
const message = (body: Record<string, unknown>) => (body.errors as { message: string }[])[0]!.message;

beforeAll(async () => {
  sim = await startAsanaSimulator({ port: 0 });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(async () => {
  world = await sim.admin.seed({});
  auth = { authorization: `Bearer ${world.users[0]!.token}` };
  await sim.admin.setRateLimits({ requestsPerMinute: 1500, maxConcurrentReads: 50, maxConcurrentWrites: 15 });
  await sim.admin.setFaults({});
});

describe('Asana simulator', () => {
  it('answers errors the way Asana does', async () => {
    const unauth = await call('GET', '/users/me', undefined, {});
    expect(unauth.status).toBe(401);
    expect(message(unauth.body)).toBe('Not Authorized');
    const noWorkspace = await call('POST', '/tasks', { data: { name: 'x' } });
    expect(noWorkspace.status).toBe(400);
    expect(noWorkspace.body).toEqual({ errors: [{ message: 'workspace: Missing input', help: expect.stringContaining('developers.asana.com') }] });
    expect((await call('GET', '/tasks/424242')).status).toBe(404);
    expect(message((await call('GET', '/webhooks')).body)).toBe('workspace: Missing input');
    await sim.admin.setFaults({ errorRate: 1, errorStatus: 500 });
    const crash = await call('GET', '/users/me');
    expect(crash.status).toBe(500);
    expect((crash.body.errors as { phrase?: string }[])[0]!.phrase).toBeTruthy();
  });

  it('returns 201 + Location on create, validates custom field types, and changes only sent fields on update', async () => {
    const [key, amount, status, date] = world.customFields;
    const created = await call('POST', '/tasks', { data: { name: 'a', notes: 'keep', projects: [world.projectGid], custom_fields: { [key!.gid]: 'K' } } });
    expect(created.status).toBe(201);
    const gid = (created.body.data as { gid: string }).gid;
    expect(created.headers.get('location')).toBe(`${sim.apiUrl}/tasks/${gid}`);
    for (const [fieldGid, value] of [
      [amount!.gid, '12'],
      [status!.gid, 'Approved'],
      [date!.gid, '2025/01/01'],
      [key!.gid, 5],
      ['999', 'x'],
    ] as const) {
      const bad = await call('PUT', `/tasks/${gid}`, { data: { name: 'changed?', custom_fields: { [fieldGid]: value } } });
      expect(bad.status).toBe(400);
    }
    const ok = await call('PUT', `/tasks/${gid}`, { data: { custom_fields: { [status!.gid]: status!.enumOptions[2]!.gid, [amount!.gid]: 3 } } });
    expect(ok.status).toBe(200);
    const task = ok.body.data as { name: string; notes: string; custom_fields: { gid: string; display_value: string | null }[] };
    expect(task.name).toBe('a');
    expect(task.notes).toBe('keep');
    expect(task.custom_fields.find((c) => c.gid === status!.gid)!.display_value).toBe('Rejected');
    expect(task.custom_fields.find((c) => c.gid === amount!.gid)!.display_value).toBe('3.00');
  });

  it('paginates with expiring offsets, next_page only with limit, and refuses unpaginated listings past 1,000', async () => {
    world = await sim.admin.seed({ tasks: 1001 });
    auth = { authorization: `Bearer ${world.users[0]!.token}` };
    const all = await call('GET', `/projects/${world.projectGid}/tasks`);
    expect(all.status).toBe(400);
    expect(message(all.body)).toBe('The result is too large. You should use pagination (may require specifying a workspace)!');
    const first = await call('GET', `/projects/${world.projectGid}/tasks?limit=100`);
    const next = first.body.next_page as { offset: string; path: string; uri: string };
    expect(next.path).toContain(`/projects/${world.projectGid}/tasks?limit=100&offset=`);
    const second = await call('GET', next.path);
    expect((second.body.data as unknown[]).length).toBe(100);
    expect((await call('GET', `/projects/${world.projectGid}/tasks?limit=0`)).status).toBe(400);
    expect((await call('GET', `/tasks?project=${world.projectGid}&limit=100&offset=forged`)).status).toBe(400);
    await sim.admin.advanceClock(31 * 60_000);
    const expired = await call('GET', next.path);
    expect(expired.status).toBe(400);
    expect(message(expired.body)).toMatch(/expired/);
    const small = await sim.admin.seed({ tasks: 2 });
    const last = await call('GET', `/projects/${small.projectGid}/tasks?limit=5`, undefined, { authorization: `Bearer ${small.users[0]!.token}` });
    expect(last.body.next_page).toBeNull();
    const none = await call('GET', `/projects/${small.projectGid}/tasks`, undefined, { authorization: `Bearer ${small.users[0]!.token}` });
    expect('next_page' in none.body).toBe(false);
  });

  it('limits requests per minute per token, counting refused requests, with Retry-After', async () => {
    await sim.admin.setRateLimits({ requestsPerMinute: 5 });
    const statuses: number[] = [];
    for (let i = 0; i < 7; i += 1) statuses.push((await call('GET', '/users/me')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const limited = await call('GET', '/users/me');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(message(limited.body)).toBe("You've made too many requests and hit a rate limit. Please retry after the given amount of time.");
    const other = await sim.admin.seed({});
    expect((await call('GET', '/users/me', undefined, { authorization: `Bearer ${other.users[0]!.token}` })).status).toBe(200);
    await sim.admin.advanceClock(61_000);
    expect((await call('GET', '/users/me')).status).toBe(200);
  });

  it('refuses writes past the concurrency cap with 429', async () => {
    await sim.admin.setRateLimits({ maxConcurrentWrites: 3 });
    await sim.admin.setFaults({ latencyMs: 100 });
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => call('POST', '/tasks', { data: { name: `c${i}`, projects: [world.projectGid] } })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(3);
    expect(results.filter((r) => r.status === 429)).toHaveLength(3);
  });
});
