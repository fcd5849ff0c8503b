import { randomUUID } from 'node:crypto';
import { insertConnection } from '../../db/connections';
import { CredentialCipher } from '../../db/credential-cipher';
import { getOAuthToken, oauthTokenStore } from '../../db/oauth-tokens';
import { startProcurifySimulator, type RunningProcurifySimulator } from '../../simulators/procurify';
import { tokenHash } from '../../simulators/kit/token-hash';
import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import { testMasterKey } from '../../test/support/env';
import type { OAuthTokenStore } from '../../core/oauth-token-store';
import type { PartnerError } from '../../core/partner-error';
import { RateLimiterRegistry } from '../http/rate-limiter';
import { createProcurifyConnector } from './connector';

/**
 * Client credentials tokens: one grant per 24 h shared by every caller, asked for again an hour before Procurify's
 * expiry, once after a 401, and kept encrypted in oauth_tokens so other workers reuse it. The simulator clock moves
 * Procurify's notion of expiry; `now` moves the connector's.
 */
const HOUR = 3_600_000;
let db: TestDatabase;
let sim: RunningProcurifySimulator;
let app: { clientId: string; clientSecret: string };
const cipher = new CredentialCipher(testMasterKey());

beforeAll(async () => {
  db = await createTestDatabase('procurify-tokens');
  sim = await startProcurifySimulator({ port: 0 });
  app = await sim.admin.registerClient();
  await sim.admin.seed({ accountCodes: 2 });
}, 60_000);
afterAll(async () => {
  await sim.close();
  await db.drop();
});
beforeEach(async () => {
  await sim.admin.clearRequests();
});

function connector(opts: { now?: () => number; store?: OAuthTokenStore; clientSecret?: string } = {}) {
  return createProcurifyConnector(
    { baseUrl: sim.apiUrl, auth: { clientId: app.clientId, clientSecret: opts.clientSecret ?? app.clientSecret } },
    { limiters: new RateLimiterRegistry(), now: opts.now, tokenStore: opts.store },
  );
}
const granted = async () => (await sim.admin.tokenStats()).granted;
const tokensUsed = async () => new Set((await sim.admin.requests()).map((r) => r.tokenHash));

describe('Procurify access tokens', () => {
  it('asks once for many concurrent calls, reuses the token for 23 hours, and renews it an hour before the 24 h expiry', async () => {
    let clock = Date.now();
    const procurify = connector({ now: () => clock });
    const before = await granted();
    await Promise.all(Array.from({ length: 8 }, () => procurify.listAccountCodes()));
    expect(await granted()).toBe(before + 1);
    clock += 22 * HOUR;
    await procurify.listAccountCodes();
    expect(await granted()).toBe(before + 1);
    clock += HOUR + 60_000;
    await procurify.listAccountCodes();
    expect(await granted()).toBe(before + 2);
    expect((await sim.admin.requests()).every((r) => r.status === 200)).toBe(true);
    expect((await tokensUsed()).size).toBe(2);
  });

  it('makes a token that expired at Procurify mid-sync invisible: one 401 per caller, exactly one new grant, every call answered', async () => {
    const procurify = connector();
    await procurify.listAccountCodes();
    const before = await granted();
    await sim.admin.advanceClock(24 * HOUR + 60_000);
    await sim.admin.clearRequests();
    const results = await Promise.all(Array.from({ length: 6 }, () => procurify.listAccountCodes()));
    expect(results.every((r) => r.length === 2)).toBe(true);
    expect(await granted()).toBe(before + 1);
    const statuses = (await sim.admin.requests()).map((r) => r.status);
    expect(statuses.filter((s) => s === 401).length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s === 200)).toHaveLength(6);
  });

  it('refuses wrong credentials as a configuration error that names what to do and carries no secret', async () => {
    const err = await connector({ clientSecret: 'wrong-secret-value' })
      .listAccountCodes()
      .then(() => {
        throw new Error('expected a refusal');
      })
      .catch((e: unknown) => e as PartnerError);
    expect(err).toMatchObject({ code: 'PROCURIFY_OAUTH_REFUSED', status: 401, decision: { retry: false } });
    expect(String(err.hint)).toMatch(/Settings > Integrations > API/);
    expect(JSON.stringify({ ...err, message: err.message })).not.toContain('wrong-secret-value');
    expect(await sim.admin.requests()).toEqual([]);
  });
});

describe('Procurify tokens in PostgreSQL', () => {
  async function connection() {
    const id = randomUUID();
    await insertConnection(db.pool, { id, customerId: 'acme', pair: 'procurify-peoplesoft', config: {} });
    return { id, store: () => oauthTokenStore(db.pool, cipher, id, 'procurify') };
  }

  it('stores the token encrypted; a second connector (another worker) uses it without a new grant', async () => {
    const c = await connection();
    const before = await granted();
    await connector({ store: c.store() }).listAccountCodes();
    await connector({ store: c.store() }).listAccountCodes();
    expect(await granted()).toBe(before + 1);
    const stored = await getOAuthToken(db.pool, cipher, c.id, 'procurify');
    expect(stored!.expiresAt.getTime() - Date.now()).toBeGreaterThan(23 * HOUR);
    const { rows } = await db.pool.query<{ ciphertext: Buffer }>('SELECT ciphertext FROM oauth_tokens WHERE connection_id = $1', [c.id]);
    expect(rows[0]!.ciphertext.includes(Buffer.from(stored!.accessToken))).toBe(false);
    expect([...(await tokensUsed())]).toEqual([tokenHash(stored!.accessToken)]);
  });

  it('grants once between two workers whose stored token Procurify no longer accepts', async () => {
    const c = await connection();
    await connector({ store: c.store() }).listAccountCodes();
    await sim.admin.advanceClock(24 * HOUR + 60_000);
    const before = await granted();
    const [a, b] = [connector({ store: c.store() }), connector({ store: c.store() })];
    await Promise.all([...Array.from({ length: 4 }, () => a.listAccountCodes()), ...Array.from({ length: 4 }, () => b.listAccountCodes())]);
    expect(await granted()).toBe(before + 1);
  });
});
