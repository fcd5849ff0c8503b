import { type Client } from '@temporalio/client';
import { syncWorkflowId } from '../../core/sync-messages';
import { CredentialCipher } from '../../db/credential-cipher';
import { getOAuthToken } from '../../db/oauth-tokens';
import { type TestDatabase } from '../support/database';
import { type ApiScenario, closeApiScenario, openApiScenario, CANARY, type ResponseBody } from './api-harness';

/**
 * An Asana side connected through our OAuth app, end to end through the API: accepted by the generated validation and
 * OpenAPI document, shown without secrets, used by the connection test (which refreshes and stores the access token
 * like a worker would), refused grants reported with the reconnect hint, and reconnected with a PATCH.
 */
describe('connections API with Asana OAuth credentials', () => {
  let db: TestDatabase;
  let client: Client;
  let s: ApiScenario;
  let app: { clientId: string; clientSecret: string };
  const refreshTokens: string[] = [];
  const id = 'acme-asana-oauth';

  const oauthSide = (refreshToken: string) => ({ method: 'oauth2', clientId: app.clientId, clientSecret: app.clientSecret, refreshToken });
  const granted = async () => (await s.asana.admin.oauthStats()).granted;

  beforeAll(async () => {
    ({ db, client, s } = await openApiScenario('asana-oauth-api', { voucher: 1, requisition: 1 }));
    app = await s.asana.admin.registerOAuthClient();
    refreshTokens.push((await s.asana.admin.authorizeOAuth(app.clientId)).refreshToken);
  }, 120_000);
  afterAll(() => closeApiScenario({ db, client, s }, [syncWorkflowId(id)]));

  it('documents both Asana methods and creates an OAuth connection, showing the client id and which secrets are set', async () => {
    const doc = await s.call('GET', '/openapi.json', { key: null });
    const asanaSide = JSON.stringify(doc.body.paths['/v1/connections'].post.requestBody.content['application/json'].schema);
    expect(asanaSide).toContain('"const":"oauth2"');
    expect(asanaSide).toContain('"const":"pat"');

    const body = { ...s.connectionBody(id), credentials: { peoplesoft: { method: 'basic', oprid: CANARY.oprid, password: CANARY.password }, asana: oauthSide(refreshTokens[0]!) } };
    s.checkRequest('POST', '/v1/connections', body);
    const res = await s.call('POST', '/v1/connections', { body });
    expect(res.status).toBe(201);
    expect(res.body.credentials.asana).toEqual({ method: 'oauth2', clientId: app.clientId, clientSecret: 'set', refreshToken: 'set' });
  });

  it('tests the connection over OAuth, storing the refreshed token encrypted for the next caller', async () => {
    const before = await granted();
    const first = await s.call('POST', `/v1/connections/${id}/test`);
    expect(first.body.checks.filter((c: { system: string }) => c.system === 'asana')).toEqual([expect.objectContaining({ ok: true })]);
    expect(await granted()).toBe(before + 1);
    expect(await getOAuthToken(db.pool, new CredentialCipher(s.masterKey), id, 'asana')).toBeDefined();
    const again = await s.call('POST', `/v1/connections/${id}/test`);
    expect(again.body.ok).toBe(true);
    expect(await granted()).toBe(before + 1);
  });

  it('refuses an incomplete OAuth side by field path, without echoing a value', async () => {
    const secret = `canary-refresh-${CANARY.password}`;
    const res = await s.call('PATCH', `/v1/connections/${id}`, { body: { credentials: { asana: { method: 'oauth2', clientId: app.clientId, refreshToken: secret } } } });
    expect(res.status).toBe(422);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual(['credentials.asana.clientSecret']);
    expect(JSON.stringify(res.body)).not.toContain(secret);
  });

  it('reports a revoked grant with the reconnect hint, and works again once reconnected', async () => {
    await s.asana.admin.revokeOAuth(refreshTokens[0]!);
    const failing = await s.call('POST', `/v1/connections/${id}/test`);
    const asana: ResponseBody = failing.body.checks.find((c: { system: string }) => c.system === 'asana');
    expect(asana).toMatchObject({ ok: false, code: 'ASANA_OAUTH_INVALID_GRANT' });
    expect(asana.message).toMatch(/reconnect the Asana account/);

    refreshTokens.push((await s.asana.admin.authorizeOAuth(app.clientId)).refreshToken);
    const patched = await s.call('PATCH', `/v1/connections/${id}`, { body: { credentials: { asana: oauthSide(refreshTokens[1]!) } } });
    expect(patched.status).toBe(200);
    expect((await s.call('POST', `/v1/connections/${id}/test`)).body.ok).toBe(true);
  });

  it('never answered with an OAuth secret, and never logged one', async () => {
    const stored = await getOAuthToken(db.pool, new CredentialCipher(s.masterKey), id, 'asana');
    const all = s.responses.join('\n') + s.logLines.join('\n');
    for (const secret of [app.clientSecret, ...refreshTokens, stored!.accessToken]) expect(all).not.toContain(secret);
    expect(all).toContain(app.clientId);
  });
});
