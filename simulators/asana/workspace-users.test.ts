import { startAsanaSimulator, type RunningAsanaSimulator } from '.';
import { createAsanaConnector } from '../../connectors/asana';
import { RateLimiterRegistry } from '../../connectors/http/rate-limiter';

/** GET /users?workspace= as https://developers.asana.com/reference/getusers documents it, and the connector's listing. */
let sim: RunningAsanaSimulator;
beforeAll(async () => {
  sim = await startAsanaSimulator({ port: 0 });
});
afterAll(() => sim.close());

describe('Asana simulator: workspace users', () => {
  it('lists compact users (no email) by default, emails with opt_fields, paged, sorted by gid, only the workspace asked', async () => {
    const world = await sim.admin.seed({ users: [{ name: 'Bot', email: 'bot@example.com' }, { name: 'Ada', email: 'Ada@Example.com' }, { name: 'Grace', email: 'grace@example.com' }] });
    const other = await sim.admin.seed({ users: [{ name: 'Stranger', email: 'stranger@example.com' }] });
    const get = async (query: string) => (await fetch(`${sim.apiUrl}/users?${query}`, { headers: { authorization: `Bearer ${world.users[0]!.token}` } })).json() as Promise<{ data: Record<string, unknown>[]; next_page?: { offset: string } | null }>;

    const compact = await get(`workspace=${world.workspaceGid}`);
    expect(compact.data).toEqual(world.users.map((u) => ({ gid: u.gid, resource_type: 'user', name: u.name })));
    const first = await get(`workspace=${world.workspaceGid}&opt_fields=email,name&limit=2`);
    expect(first.data).toEqual(world.users.slice(0, 2).map((u) => ({ gid: u.gid, name: u.name, email: u.email })));
    const second = await get(`workspace=${world.workspaceGid}&opt_fields=email,name&limit=2&offset=${first.next_page!.offset}`);
    expect(second).toEqual({ data: [{ gid: world.users[2]!.gid, name: 'Grace', email: 'grace@example.com' }], next_page: null });
    // The caller is not a member of the other workspace: nobody there is visible.
    expect((await get(`workspace=${other.workspaceGid}`)).data).toEqual([]);

    await sim.admin.removeWorkspaceUser(world.workspaceGid, world.users[2]!.gid);
    const added = await sim.admin.addWorkspaceUser(world.workspaceGid, { name: 'Carol', email: 'carol@example.com' });
    await sim.admin.updateUser(world.users[1]!.gid, { email: 'ada.l@example.com' });
    const asana = createAsanaConnector(
      { baseUrl: sim.apiUrl, workspaceGid: world.workspaceGid, projectGid: world.projectGid, token: world.users[0]!.token },
      { limiters: new RateLimiterRegistry() },
    );
    expect(await asana.listWorkspaceUsers()).toEqual([
      { gid: world.users[0]!.gid, name: 'Bot', email: 'bot@example.com' },
      { gid: world.users[1]!.gid, name: 'Ada', email: 'ada.l@example.com' },
      { gid: added.gid, name: 'Carol', email: 'carol@example.com' },
    ]);
  });
});
