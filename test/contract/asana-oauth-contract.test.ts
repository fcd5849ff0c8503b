import { asanaConfigSchema, asanaTokenUrlFor, createAsanaConnector } from '../../connectors/asana';
import { RateLimiterRegistry } from '../../connectors/http/rate-limiter';
import { startAsanaSimulator, type RunningAsanaSimulator } from '../../simulators/asana';
import { AsanaContract, loadAsanaSpec } from './asana-openapi';

/**
 * What asana_oas.yaml says about OAuth: the token/refresh URL (securitySchemes.oauth2) and the 401 every operation
 * can answer. The token endpoint's request and answer are not in the spec (only on https://developers.asana.com/docs/oauth);
 * simulators/asana/oauth.test.ts pins the simulator's answer to that page.
 */
let sim: RunningAsanaSimulator;

beforeAll(async () => {
  sim = await startAsanaSimulator({ port: 0 });
});
afterAll(async () => {
  await sim.close();
});

describe('Asana OAuth contract', () => {
  it('derives the spec token and refresh URL from the default API root', () => {
    const spec = loadAsanaSpec() as unknown as {
      servers: { url: string }[];
      components: { securitySchemes: { oauth2: { flows: { authorizationCode: { tokenUrl: string; refreshUrl: string } } } } };
    };
    const flow = spec.components.securitySchemes.oauth2.flows.authorizationCode;
    const defaultBase = asanaConfigSchema.parse({ workspaceGid: '1', projectGid: '2', token: 'x' }).baseUrl;
    expect(spec.servers.map((s) => s.url)).toContain(defaultBase);
    expect(asanaTokenUrlFor(defaultBase)).toBe(flow.refreshUrl);
    expect(asanaTokenUrlFor(defaultBase)).toBe(flow.tokenUrl);
    expect(asanaTokenUrlFor(sim.apiUrl)).toBe(sim.tokenUrl);
  });

  it('validates an OAuth session across an expiry: the connector calls and the simulator 401 match the spec', async () => {
    const contract = AsanaContract.fromSpecFile();
    const world = await sim.admin.seed({ tasks: 1 });
    const app = await sim.admin.registerOAuthClient();
    const grant = await sim.admin.authorizeOAuth(app.clientId);
    const asana = createAsanaConnector(
      {
        baseUrl: sim.apiUrl,
        workspaceGid: world.workspaceGid,
        projectGid: world.projectGid,
        auth: { method: 'oauth2', clientId: app.clientId, clientSecret: app.clientSecret, refreshToken: grant.refreshToken },
      },
      { limiters: new RateLimiterRegistry() },
    );
    await sim.admin.clearRequests();
    await asana.getTask(world.taskGids[0]!);
    await sim.admin.advanceClock(2 * 3_600_000);
    await asana.updateTask(world.taskGids[0]!, { name: 'after the hour' });

    const log = await sim.admin.requests();
    expect(log.map((r) => `${r.method} ${r.status}`)).toEqual(['GET 200', 'PUT 401', 'PUT 200']);
    const issues = contract.validateLog(log);
    expect(issues).toEqual([]);
    // The check can fail: a 401 whose envelope has the wrong shape is refused.
    expect(contract.validateResponse('PUT', `/tasks/${world.taskGids[0]!}`, 401, { errors: [{ message: 42 }] }).join()).toContain('message must be string');
  });
});
