import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startAsanaSimulator, type RunningAsanaSimulator } from '.';
import { EXPIRED_TOKEN_MESSAGE } from './auth';
import type { SeedResult } from './seed';

let sim: RunningAsanaSimulator;
let world: SeedResult;
let client: { clientId: string; clientSecret: string };

const HOUR = 3_600_000;

const tokenCall = async (form: Record<string, string>) => {
  const res = await fetch(sim.tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const refresh = (refreshToken: string, over: Record<string, string> = {}) =>
  tokenCall({ grant_type: 'refresh_token', client_id: client.clientId, client_secret: client.clientSecret, refresh_token: refreshToken, ...over });
const me = async (token: string) => {
  const res = await fetch(`${sim.apiUrl}/tasks/${world.taskGids[0]!}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as { errors?: { message: string }[] } };
};

let receiver: Server;
let target = '';

beforeAll(async () => {
  sim = await startAsanaSimulator({ port: 0 });
  // Answers the webhook handshake (X-Hook-Secret echoed) so a webhook can be created.
  receiver = createServer((req, res) => {
    req.resume();
    const secret = req.headers['x-hook-secret'];
    res.writeHead(200, typeof secret === 'string' ? { 'X-Hook-Secret': secret } : {}).end();
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  target = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
});
afterAll(async () => {
  await sim.close();
  await new Promise((r) => receiver.close(r));
});
beforeEach(async () => {
  world = await sim.admin.seed({ tasks: 1 });
  client = await sim.admin.registerOAuthClient();
  await sim.admin.settings({ oauth: { accessTokenLifetimeSeconds: 3600 } });
});

describe('Asana simulator OAuth', () => {
  it('serves the token endpoint beside /api/1.0 and answers a refresh like Asana, without a new refresh token', async () => {
    expect(new URL(sim.tokenUrl).pathname).toBe('/-/oauth_token');
    const { refreshToken, userGid } = await sim.admin.authorizeOAuth(client.clientId);
    const res = await refresh(refreshToken);
    expect(res.status).toBe(200);
    const user = world.users.find((u) => u.gid === userGid)!;
    expect(res.body).toEqual({
      access_token: expect.any(String),
      expires_in: 3600,
      token_type: 'bearer',
      data: { id: Number(userGid), gid: userGid, name: user.name, email: user.email },
    });
    expect((await me(res.body.access_token as string)).status).toBe(200);
  });

  it('expires access tokens after the configured lifetime with the documented 401, and leaves personal access tokens alone', async () => {
    const { refreshToken } = await sim.admin.authorizeOAuth(client.clientId);
    const hour = (await refresh(refreshToken)).body.access_token as string;
    await sim.admin.settings({ oauth: { accessTokenLifetimeSeconds: 60 } });
    const short = await refresh(refreshToken);
    expect(short.body.expires_in).toBe(60);
    const minute = short.body.access_token as string;

    await sim.admin.advanceClock(61_000);
    expect((await me(hour)).status).toBe(200);
    const expired = await me(minute);
    expect(expired.status).toBe(401);
    expect(expired.body.errors![0]!.message).toBe(EXPIRED_TOKEN_MESSAGE);

    await sim.admin.advanceClock(HOUR);
    expect((await me(hour)).status).toBe(401);
    expect((await me(world.users[0]!.token)).status).toBe(200);
    // A token that was never issued stays plain "Not Authorized".
    expect((await me('never-issued-token')).body.errors![0]!.message).toBe('Not Authorized');
  });

  it('expires every live OAuth access token at once on the admin call, with the documented 401; a refresh still works', async () => {
    const { refreshToken, accessToken } = await sim.admin.authorizeOAuth(client.clientId);
    const refreshed = (await refresh(refreshToken)).body.access_token as string;
    const { expired } = await sim.admin.expireOAuthTokens();
    expect(expired).toBeGreaterThanOrEqual(2);
    for (const token of [accessToken, refreshed]) expect((await me(token)).body.errors![0]!.message).toBe(EXPIRED_TOKEN_MESSAGE);
    expect((await me(world.users[0]!.token)).status).toBe(200);
    expect((await me((await refresh(refreshToken)).body.access_token as string)).status).toBe(200);
    expect(await sim.admin.expireOAuthTokens()).toEqual({ expired: 1 });
  });

  it('refuses unknown and revoked refresh tokens with invalid_grant, a wrong secret with invalid_client, other grants', async () => {
    const { refreshToken, accessToken } = await sim.admin.authorizeOAuth(client.clientId);
    const before = await sim.admin.oauthStats();
    expect(await refresh('1/not-a-refresh-token')).toEqual({ status: 400, body: { error: 'invalid_grant' } });
    expect(await refresh(refreshToken, { client_secret: 'wrong-secret' })).toEqual({ status: 401, body: { error: 'invalid_client' } });
    expect(await tokenCall({ grant_type: 'password', client_id: client.clientId, client_secret: client.clientSecret })).toEqual({ status: 400, body: { error: 'unsupported_grant_type' } });
    const other = await sim.admin.registerOAuthClient();
    expect(await refresh(refreshToken, { client_id: other.clientId, client_secret: other.clientSecret })).toEqual({ status: 400, body: { error: 'invalid_grant' } });

    expect(await sim.admin.revokeOAuth(refreshToken)).toBe(true);
    expect(await refresh(refreshToken)).toEqual({ status: 400, body: { error: 'invalid_grant' } });
    expect((await me(accessToken)).status).toBe(401);
    expect(await sim.admin.oauthStats()).toEqual({ granted: before.granted, refused: before.refused + 5 });
  });

  it('keeps the token endpoint out of the request log and lists webhooks per app and user across refreshes', async () => {
    const { refreshToken, accessToken } = await sim.admin.authorizeOAuth(client.clientId);
    await sim.admin.settings({ webhooks: { delivery: 'manual' } });
    await sim.admin.clearRequests();
    const auth = (t: string) => ({ authorization: `Bearer ${t}`, 'content-type': 'application/json' });
    const created = await fetch(`${sim.apiUrl}/webhooks`, {
      method: 'POST',
      headers: auth(accessToken),
      body: JSON.stringify({ data: { resource: world.projectGid, target } }),
    });
    expect(created.status).toBe(201);
    const next = (await refresh(refreshToken)).body.access_token as string;
    const listed = await fetch(`${sim.apiUrl}/webhooks?workspace=${world.workspaceGid}`, { headers: auth(next) });
    expect(((await listed.json()) as { data: unknown[] }).data).toHaveLength(1);
    const mine = await fetch(`${sim.apiUrl}/webhooks?workspace=${world.workspaceGid}`, { headers: auth(world.users[0]!.token) });
    expect(((await mine.json()) as { data: unknown[] }).data).toHaveLength(0);
    expect((await sim.admin.requests()).map((r) => `${r.method} ${r.path}`)).toEqual(['POST /webhooks', 'GET /webhooks', 'GET /webhooks']);
  });
});
