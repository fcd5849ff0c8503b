import { randomUUID } from 'node:crypto';
import { isPartnerError } from '../../core/partner-error';
import { insertConnection } from '../../db/connections';
import { CredentialCipher } from '../../db/credential-cipher';
import { oauthTokenStore } from '../../db/oauth-tokens';
import { execute } from '../../db/pool';
import { startJaggaerSimulator, type RunningJaggaerSimulator } from '../../simulators/jaggaer';
import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import { testMasterKey } from '../../test/support/env';
import { WorkerMetrics } from '../../workers/worker-metrics';
import { RateLimiterRegistry } from '../http/rate-limiter';
import type { OAuthTokenStore } from '../../core/oauth-token-store';
import { createJaggaerConnector } from './connector';

/**
 * JAGGAER's short-lived client-credentials tokens: fetched ahead of expiry, once more on a 401 (invisible to the
 * caller), once for many concurrent callers, shared encrypted through oauth_tokens between connectors that stand for
 * separate activities or workers, and refused credentials reported without the secret.
 * The simulator clock moves JAGGAER's notion of expiry; `now` moves the connector's.
 */
const MINUTE = 60_000;

let sim: RunningJaggaerSimulator;
let db: TestDatabase;
const cipher = new CredentialCipher(testMasterKey());

beforeAll(async () => {
  db = await createTestDatabase('jaggaer-tokens');
  sim = await startJaggaerSimulator({ port: 0 });
}, 60_000);
afterAll(async () => {
  await sim.close();
  await db.drop();
});
beforeEach(async () => {
  await sim.admin.reset();
  await sim.admin.setSettings({ pageSize: 100, token: { accessTokenLifetimeSeconds: 300, latencyMs: 0 } });
  await sim.admin.seed({ suppliers: 2, invoices: 5 });
  await sim.admin.clearRequests();
});

function connector(opts: { now?: () => number; store?: OAuthTokenStore; clientSecret?: string; metrics?: WorkerMetrics } = {}) {
  return createJaggaerConnector(
    { instanceUrl: sim.instanceUrl, auth: { clientId: sim.client.clientId, clientSecret: opts.clientSecret ?? sim.client.clientSecret } },
    { limiters: new RateLimiterRegistry(), now: opts.now, tokenStore: opts.store, telemetry: opts.metrics },
  );
}

const issued = async () => (await sim.admin.tokenStats()).issued;
const tokensUsed = async () => new Set((await sim.admin.requests()).map((r) => r.tokenHash)).size;

describe('JAGGAER access tokens', () => {
  it('fetches one token, reuses it, and gets the next before expiry (60 s margin on a 5-minute token)', async () => {
    let clock = Date.now();
    const jaggaer = connector({ now: () => clock });
    const before = await issued();
    await jaggaer.listInvoicesPage();
    clock += 3 * MINUTE;
    await jaggaer.listInvoicesPage();
    expect(await issued()).toBe(before + 1);
    clock += 1.5 * MINUTE;
    await jaggaer.listInvoicesPage();
    expect(await issued()).toBe(before + 2);
    expect((await sim.admin.requests()).map((r) => r.status)).toEqual([200, 200, 200]);
    expect(await tokensUsed()).toBe(2);
  });

  it('makes a token that expires mid-walk invisible: one 401, one new token, every page read', async () => {
    await sim.admin.setSettings({ pageSize: 2 });
    const jaggaer = connector();
    const first = await jaggaer.listInvoicesPage();
    // JAGGAER's clock runs ahead of ours (or the token was revoked early): the token we hold is dead before we think.
    await sim.admin.advanceClock(301_000);
    const second = await jaggaer.listInvoicesPage({ start: first.nextStart });
    const third = await jaggaer.listInvoicesPage({ start: second.nextStart });
    expect([...first.records, ...second.records, ...third.records].map((r) => r.id)).toHaveLength(5);
    expect(third.nextStart).toBeUndefined();
    expect((await sim.admin.requests()).map((r) => r.status)).toEqual([200, 401, 200, 200]);
    expect(await tokensUsed()).toBe(2);
  });

  it('fetches one token for twenty concurrent callers', async () => {
    await sim.admin.setSettings({ token: { latencyMs: 200 } });
    const jaggaer = connector();
    const before = await issued();
    const pages = await Promise.all(Array.from({ length: 20 }, () => jaggaer.listSuppliersPage()));
    expect(pages.every((p) => p.records.length === 2)).toBe(true);
    expect(await issued()).toBe(before + 1);
  });

  it('reports refused client credentials as a permanent configuration error without the secret', async () => {
    const metrics = new WorkerMetrics();
    const secret = 'wrong-secret-value-1234';
    const err = await connector({ clientSecret: secret, metrics }).listInvoicesPage().catch((e: unknown) => e);
    expect(isPartnerError(err)).toBe(true);
    expect(err).toMatchObject({ status: 401, code: 'JAGGAER_OAUTH_INVALID_CLIENT', decision: { retry: false }, rawBody: '{"error":"unauthorized_client"}' });
    expect(JSON.stringify({ ...(err as object), message: (err as Error).message })).not.toContain(secret);
    expect(await sim.admin.requests()).toEqual([]);
    const failed = (await metrics.registry.getSingleMetric('mlc_token_refreshes_total')!.get()).values.find((v) => v.labels.outcome === 'failed');
    expect(failed?.value).toBe(1);
  });
});

describe('JAGGAER access tokens in PostgreSQL', () => {
  async function sharedStore(): Promise<OAuthTokenStore & { connectionId: string }> {
    const connectionId = randomUUID();
    await insertConnection(db.pool, { id: connectionId, customerId: 'acme', pair: 'peoplesoft-jaggaer', config: {} });
    return { ...oauthTokenStore(db.pool, cipher, connectionId, 'jaggaer'), connectionId };
  }

  it('stores the token encrypted; a second connector (another worker) reuses it without a new grant', async () => {
    const store = await sharedStore();
    const before = await issued();
    await connector({ store }).listInvoicesPage();
    await connector({ store }).listInvoicesPage();
    expect(await issued()).toBe(before + 1);
    expect(await tokensUsed()).toBe(1);
    const stored = await store.load();
    const rows = await db.pool.query<{ ciphertext: Buffer }>('SELECT ciphertext FROM oauth_tokens WHERE connection_id = $1', [store.connectionId]);
    expect(rows.rows).toHaveLength(1);
    expect(rows.rows[0]!.ciphertext.toString('utf8')).not.toContain(stored!.accessToken);
  });

  it('fetches once when several workers find the stored token expired at the same moment', async () => {
    const store = await sharedStore();
    await connector({ store }).listInvoicesPage();
    await execute(db.pool, 'expire token', "UPDATE oauth_tokens SET expires_at = now() - interval '1 minute' WHERE connection_id = $1", [store.connectionId]);
    await sim.admin.setSettings({ token: { latencyMs: 300 } });
    const before = await issued();
    await Promise.all(Array.from({ length: 4 }, () => connector({ store }).listInvoicesPage()));
    expect(await issued()).toBe(before + 1);
  });
});
