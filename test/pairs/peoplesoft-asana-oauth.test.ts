import { type Client } from '@temporalio/client';
import { createAsanaConnector, type AsanaTask } from '../../connectors/asana';
import { RateLimiterRegistry } from '../../connectors/http/rate-limiter';
import { putCredentials } from '../../db/connections';
import { getOAuthToken } from '../../db/oauth-tokens';
import { EXPIRED_TOKEN_MESSAGE } from '../../simulators/asana/auth';
import { tokenHash } from '../../simulators/kit/token-hash';
import { findSecrets, historyHaystacks, type Haystack } from '../api/secret-search';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { testClient } from '../support/temporal';
import { eventually } from '../support/worker-process';
import { PairScenario } from './pair-harness';

const HOUR = 3_600_000;
const N = 20;

/**
 * A connection whose Asana side is our OAuth app, synced by the product worker across an access token's expiry:
 * every activity shares one refreshed token (stored encrypted), and the expired one costs a 401 and one refresh.
 */
describe('PeopleSoft <-> Asana over OAuth, across an access token expiry', () => {
  let db: TestDatabase;
  let client: Client;
  let s: PairScenario;
  let asana: () => ReturnType<typeof createAsanaConnector>;
  /** Every OAuth secret of this connection, by name: the canary values searched for in the last test. */
  const secrets: Record<string, string> = {};

  const granted = async () => (await s.asana.admin.oauthStats()).granted;
  const tasksByKey = async (): Promise<Map<string, AsanaTask>> => {
    const keyField = s.world.customFields.find((c) => c.name === 'PeopleSoft Key')!.gid;
    const out = new Map<string, AsanaTask>();
    for await (const page of asana().listProjectTasks()) for (const t of page) out.set(String(t.customFields[keyField]?.value), t);
    return out;
  };

  beforeAll(async () => {
    db = await createTestDatabase('pair-asana-oauth');
    client = await testClient();
    s = new PairScenario(client, db.pool);
    await s.setup({ voucher: N / 2, requisition: N / 2 });
    const app = await s.asana.admin.registerOAuthClient();
    const grant = await s.asana.admin.authorizeOAuth(app.clientId);
    await putCredentials(db.pool, s.cipher, s.connectionId, 'asana', { method: 'oauth2', clientId: app.clientId, clientSecret: app.clientSecret, refreshToken: grant.refreshToken });
    Object.assign(secrets, { 'client secret': app.clientSecret, 'refresh token': grant.refreshToken });
    // The test's own reads use a personal access token, so they neither refresh nor count as the worker's calls.
    asana = () =>
      createAsanaConnector(
        { baseUrl: s.asana.apiUrl, workspaceGid: s.world.workspaceGid, projectGid: s.world.projectGid, token: s.world.users[0]!.token },
        { limiters: new RateLimiterRegistry() },
      );
    await s.startWorker();
  }, 120_000);
  afterAll(async () => {
    await s?.stop();
    await client.connection.close();
    await db.drop();
  });

  it('syncs every document with one refresh shared by all activities, the token stored encrypted', async () => {
    const before = await granted();
    await s.startWorkflow();
    await eventually(async () => (await s.status()).totals.polls >= 1 && (await s.status()).state === 'idle', 240_000, 'first poll');
    expect((await tasksByKey()).size).toBe(N);
    expect(await granted()).toBe(before + 1);

    const stored = await getOAuthToken(db.pool, s.cipher, s.connectionId, 'asana');
    secrets['first access token'] = stored!.accessToken;
    const workerCalls = (await s.asana.admin.requests()).filter((r) => r.tokenHash !== tokenHash(s.world.users[0]!.token));
    expect(workerCalls.length).toBeGreaterThan(N);
    expect(new Set(workerCalls.map((r) => r.tokenHash))).toEqual(new Set([tokenHash(stored!.accessToken)]));
    const { rows } = await db.pool.query<{ ciphertext: Buffer }>('SELECT ciphertext FROM oauth_tokens WHERE connection_id = $1', [s.connectionId]);
    expect(rows[0]!.ciphertext.includes(Buffer.from(stored!.accessToken))).toBe(false);
  }, 300_000);

  it('keeps syncing after Asana expires the token: one 401, one refresh, the changes written', async () => {
    const before = await granted();
    const old = await getOAuthToken(db.pool, s.cipher, s.connectionId, 'asana');
    await s.asana.admin.clearRequests();
    await s.asana.admin.advanceClock(HOUR + 60_000);
    const vouchers = (await s.psAdmin.rows('voucher')).slice(0, 3);
    for (const v of vouchers) await s.psAdmin.updateRow('voucher', { BUSINESS_UNIT: String(v.BUSINESS_UNIT), VOUCHER_ID: String(v.VOUCHER_ID) }, { GROSS_AMT: 4242.5 });

    const status = await s.pollAndWait();
    const tasks = await tasksByKey();
    for (const v of vouchers) expect(tasks.get(`voucher:${String(v.BUSINESS_UNIT)}/${String(v.VOUCHER_ID)}`)!.customFields[s.world.customFields.find((c) => c.name === 'Amount')!.gid]?.value).toBe(4242.5);
    expect(await granted()).toBe(before + 1);
    const expired = (await s.asana.admin.requests()).filter((r) => r.tokenHash === tokenHash(old!.accessToken));
    expect(expired.length).toBeGreaterThan(0);
    expect(expired.every((r) => r.status === 401 && JSON.stringify(r.responseBody).includes(EXPIRED_TOKEN_MESSAGE))).toBe(true);
    const current = await getOAuthToken(db.pool, s.cipher, s.connectionId, 'asana');
    expect(current!.accessToken).not.toBe(old!.accessToken);
    secrets['second access token'] = current!.accessToken;
    expect(Object.values(status.progress).map((p) => p.lastError)).toEqual(Object.values(status.progress).map(() => undefined));
    const letters = await db.pool.query('SELECT 1 FROM dead_letters WHERE connection_id = $1', [s.connectionId]);
    expect(letters.rowCount).toBe(0);
  }, 240_000);

  it('kept every OAuth secret out of the workflow history, the worker output and every table in clear', async () => {
    expect(Object.keys(secrets)).toHaveLength(4);
    const places: Haystack[] = [...historyHaystacks('history', await s.handle!.fetchHistory()), { where: 'worker output', content: s.worker!.output.join('\n') }];
    const tables = await db.pool.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`);
    for (const { table_name } of tables.rows) {
      const dump = await db.pool.query<{ row: string }>(`SELECT t::text AS row FROM "${table_name}" t`);
      places.push({ where: `table ${table_name}`, content: dump.rows.map((r) => r.row).join('\n') });
    }
    expect(findSecrets(places, secrets)).toEqual([]);
  });
});
