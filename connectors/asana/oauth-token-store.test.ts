import { randomUUID } from 'node:crypto';
import { insertConnection, oauthTokenAad, putCredentials } from '../../db/connections';
import { CredentialCipher } from '../../db/credential-cipher';
import { getOAuthToken, oauthTokenStore } from '../../db/oauth-tokens';
import { startAsanaSimulator, type RunningAsanaSimulator } from '../../simulators/asana';
import type { SeedResult } from '../../simulators/asana/seed';
import { tokenHash } from '../../simulators/kit/token-hash';
import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import { testMasterKey } from '../../test/support/env';
import { RateLimiterRegistry } from '../http/rate-limiter';
import { createAsanaConnector } from './connector';

/**
 * The access token lives in oauth_tokens, encrypted, so every connector for the connection (another activity, another
 * worker) reuses it, and a refresh is made once between them. Each connector here stands for a separate activity:
 * its own instance, its own rate limiter registry, only the database in common.
 */
const HOUR = 3_600_000;

let db: TestDatabase;
let sim: RunningAsanaSimulator;
let world: SeedResult;
const cipher = new CredentialCipher(testMasterKey());

beforeAll(async () => {
  db = await createTestDatabase('asana-oauth-tokens');
  sim = await startAsanaSimulator({ port: 0 });
  world = await sim.admin.seed({ tasks: 1 });
}, 60_000);
afterEach(async () => {
  await sim.admin.settings({ oauth: { latencyMs: 0 } });
});
afterAll(async () => {
  await sim.close();
  await db.drop();
});

/** A connection with its own OAuth grant, and a factory for connectors that share its token store. */
async function oauthConnection() {
  const id = randomUUID();
  await insertConnection(db.pool, { id, customerId: 'acme', pair: 'peoplesoft-asana', config: {} });
  const app = await sim.admin.registerOAuthClient();
  const grant = await sim.admin.authorizeOAuth(app.clientId);
  const auth = { method: 'oauth2' as const, clientId: app.clientId, clientSecret: app.clientSecret, refreshToken: grant.refreshToken };
  await putCredentials(db.pool, cipher, id, 'asana', auth);
  const connector = () =>
    createAsanaConnector(
      { baseUrl: sim.apiUrl, workspaceGid: world.workspaceGid, projectGid: world.projectGid, auth },
      { limiters: new RateLimiterRegistry(), tokenStore: oauthTokenStore(db.pool, cipher, id, 'asana') },
    );
  return { id, auth, grant, connector };
}

const granted = async () => (await sim.admin.oauthStats()).granted;
const taskGid = () => world.taskGids[0]!;

describe('Asana OAuth tokens in PostgreSQL', () => {
  it('stores the refreshed token encrypted, and a second connector uses it without refreshing', async () => {
    const c = await oauthConnection();
    const before = await granted();
    await sim.admin.clearRequests();
    await c.connector().getTask(taskGid());
    expect(await granted()).toBe(before + 1);

    const stored = await getOAuthToken(db.pool, cipher, c.id, 'asana');
    expect(stored).toBeDefined();
    expect(stored!.expiresAt.getTime()).toBeGreaterThan(Date.now());
    const { rows } = await db.pool.query<{ ciphertext: Buffer; key_id: string }>('SELECT ciphertext, key_id FROM oauth_tokens WHERE connection_id = $1', [c.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.key_id).toBe(cipher.activeKeyId);
    expect(rows[0]!.ciphertext.includes(Buffer.from(stored!.accessToken))).toBe(false);
    // Bound to its row: the same ciphertext does not open as another connection's token.
    const sealed = (await db.pool.query('SELECT key_id, iv, auth_tag, ciphertext FROM oauth_tokens WHERE connection_id = $1', [c.id])).rows[0];
    expect(() => cipher.open({ keyId: sealed.key_id, iv: sealed.iv, authTag: sealed.auth_tag, ciphertext: sealed.ciphertext }, oauthTokenAad('other', 'asana'))).toThrow();

    await c.connector().getTask(taskGid());
    expect(await granted()).toBe(before + 1);
    const used = (await sim.admin.requests()).map((r) => r.tokenHash);
    expect(used).toEqual([tokenHash(stored!.accessToken), tokenHash(stored!.accessToken)]);
  });

  it('refreshes once between two connectors that meet the same expired token at once', async () => {
    const c = await oauthConnection();
    await c.connector().getTask(taskGid());
    const before = await granted();
    await sim.admin.advanceClock(HOUR + 60_000);
    // A slow token endpoint: both connectors meet the 401 while the first refresh is still under way.
    await sim.admin.settings({ oauth: { latencyMs: 300 } });
    const [a, b] = [c.connector(), c.connector()];
    await Promise.all([...Array.from({ length: 5 }, () => a.getTask(taskGid())), ...Array.from({ length: 5 }, () => b.getTask(taskGid()))]);
    expect(await granted()).toBe(before + 1);
  });

  it('forgets the stored token when the side gets new credentials', async () => {
    const c = await oauthConnection();
    await c.connector().getTask(taskGid());
    expect(await getOAuthToken(db.pool, cipher, c.id, 'asana')).toBeDefined();
    await putCredentials(db.pool, cipher, c.id, 'asana', c.auth);
    expect(await getOAuthToken(db.pool, cipher, c.id, 'asana')).toBeUndefined();
  });

  it('after a refused refresh, the next connector fails authorize() before any API call', async () => {
    const c = await oauthConnection();
    await c.connector().getTask(taskGid());
    await sim.admin.revokeOAuth(c.grant.refreshToken);
    await expect(c.connector().getTask(taskGid())).rejects.toMatchObject({ code: 'ASANA_OAUTH_INVALID_GRANT' });

    await sim.admin.clearRequests();
    await expect(c.connector().authorize()).rejects.toMatchObject({ code: 'ASANA_OAUTH_INVALID_GRANT', decision: { retry: false } });
    expect(await sim.admin.requests()).toEqual([]);
  });
});
