import { isPartnerError, type PartnerError } from '../../core/partner-error';
import { startAsanaSimulator, type RunningAsanaSimulator } from '../../simulators/asana';
import { EXPIRED_TOKEN_MESSAGE } from '../../simulators/asana/auth';
import type { SeedResult } from '../../simulators/asana/seed';
import { WorkerMetrics } from '../../workers/worker-metrics';
import { RateLimiterRegistry } from '../http/rate-limiter';
import { createAsanaConnector } from './connector';

/**
 * OAuth connections against the simulator's token endpoint: tokens refreshed before they expire, once on a 401,
 * once for many concurrent callers, and a revoked grant reported as a configuration error without secrets.
 * The simulator clock moves Asana's notion of expiry; `now` moves the connector's.
 */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let sim: RunningAsanaSimulator;
let world: SeedResult;
let client: { clientId: string; clientSecret: string };
let grant: { refreshToken: string; accessToken: string };

beforeAll(async () => {
  sim = await startAsanaSimulator({ port: 0 });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(async () => {
  world = await sim.admin.seed({ tasks: 1 });
  client = await sim.admin.registerOAuthClient();
  grant = await sim.admin.authorizeOAuth(client.clientId);
  await sim.admin.setFaults({});
  await sim.admin.clearRequests();
});

function connector(opts: { now?: () => number; accessToken?: string; refreshToken?: string } = {}) {
  const metrics = new WorkerMetrics();
  const asana = createAsanaConnector(
    {
      baseUrl: sim.apiUrl,
      workspaceGid: world.workspaceGid,
      projectGid: world.projectGid,
      auth: { method: 'oauth2', clientId: client.clientId, clientSecret: client.clientSecret, refreshToken: opts.refreshToken ?? grant.refreshToken, accessToken: opts.accessToken },
    },
    { limiters: new RateLimiterRegistry(), telemetry: metrics, now: opts.now },
  );
  const refreshes = async (outcome: 'ok' | 'failed') => {
    const metric = await metrics.registry.getSingleMetric('mlc_token_refreshes_total')!.get();
    return metric.values.find((v) => v.labels.partner === 'asana' && v.labels.outcome === outcome)?.value ?? 0;
  };
  return { asana, refreshes };
}

const taskGid = () => world.taskGids[0]!;
const statuses = async () => (await sim.admin.requests()).map((r) => r.status);

describe('Asana OAuth access tokens', () => {
  it('derives the token endpoint from baseUrl, refreshes once, then reuses the token until the margin before expiry', async () => {
    let clock = Date.now();
    const { asana, refreshes } = connector({ now: () => clock });
    const before = (await sim.admin.oauthStats()).granted;

    await asana.getTask(taskGid());
    expect((await sim.admin.oauthStats()).granted).toBe(before + 1);
    clock += 50 * MINUTE;
    await asana.getTask(taskGid());
    expect((await sim.admin.oauthStats()).granted).toBe(before + 1);
    // 56 minutes into the hour: inside the 5-minute margin, so the connector refreshes before Asana would refuse.
    clock += 6 * MINUTE;
    await asana.getTask(taskGid());
    expect((await sim.admin.oauthStats()).granted).toBe(before + 2);
    expect(await statuses()).toEqual([200, 200, 200]);
    const tokens = new Set((await sim.admin.requests()).map((r) => r.tokenHash));
    expect(tokens.size).toBe(2);
    expect(await refreshes('ok')).toBe(2);
  });

  it('uses the access token that came with the credentials before refreshing anything', async () => {
    const { asana, refreshes } = connector({ accessToken: grant.accessToken });
    const before = (await sim.admin.oauthStats()).granted;
    await asana.getTask(taskGid());
    expect((await sim.admin.oauthStats()).granted).toBe(before);
    expect(await refreshes('ok')).toBe(0);
  });

  it('refreshes once on a 401 for an expired token and retries the call', async () => {
    const { asana, refreshes } = connector({ accessToken: grant.accessToken });
    await asana.getTask(taskGid());
    // Asana's clock passes the hour; ours does not, so only the 401 can tell the connector.
    await sim.admin.advanceClock(HOUR + MINUTE);
    const task = await asana.getTask(taskGid());
    expect(task.gid).toBe(taskGid());
    const log = await sim.admin.requests();
    expect(log.map((r) => r.status)).toEqual([200, 401, 200]);
    expect(log[1]!.responseBody).toMatchObject({ errors: [{ message: EXPIRED_TOKEN_MESSAGE }] });
    expect(await refreshes('ok')).toBe(1);
  });

  it('makes one refresh for many concurrent calls, at the start and after a 401', async () => {
    const { asana, refreshes } = connector();
    const before = (await sim.admin.oauthStats()).granted;
    await Promise.all(Array.from({ length: 20 }, () => asana.getTask(taskGid())));
    expect((await sim.admin.oauthStats()).granted).toBe(before + 1);

    await sim.admin.advanceClock(HOUR + MINUTE);
    await Promise.all(Array.from({ length: 20 }, () => asana.getTask(taskGid())));
    expect((await sim.admin.oauthStats()).granted).toBe(before + 2);
    const log = await sim.admin.requests();
    expect(log.filter((r) => r.status === 401).length).toBeGreaterThan(0);
    expect(log.filter((r) => r.status === 200)).toHaveLength(40);
    expect(await refreshes('ok')).toBe(2);
  });

  it('reports a revoked grant as a permanent configuration error with a reconnect hint and no secret', async () => {
    const { asana, refreshes } = connector({ accessToken: grant.accessToken });
    await asana.getTask(taskGid());
    await sim.admin.revokeOAuth(grant.refreshToken);

    for (const attempt of [() => asana.getTask(taskGid()), () => asana.authorize()]) {
      const err = (await attempt().catch((e: unknown) => e)) as PartnerError;
      expect(isPartnerError(err)).toBe(true);
      expect(err.code).toBe('ASANA_OAUTH_INVALID_GRANT');
      expect(err.status).toBe(400);
      expect(err.decision.retry).toBe(false);
      expect(err.hint).toMatch(/reconnect the Asana account/);
      const everything = JSON.stringify({ ...err, message: err.message, stack: err.stack });
      for (const secret of [grant.refreshToken, grant.accessToken, client.clientSecret]) expect(everything).not.toContain(secret);
    }
    expect(await refreshes('failed')).toBe(2);
    expect(await refreshes('ok')).toBe(0);
  });

  it('reports a refresh token Asana never issued the same way, before any API call', async () => {
    const { asana } = connector({ refreshToken: '1/never-issued-refresh-token' });
    await expect(asana.getTask(taskGid())).rejects.toMatchObject({ code: 'ASANA_OAUTH_INVALID_GRANT', decision: { retry: false } });
    expect(await sim.admin.requests()).toEqual([]);
  });
});
