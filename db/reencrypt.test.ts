import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { listRegistrations, markPending, openSecret, storePendingSecret } from './webhook-registrations';
import { createTestDatabase, type TestDatabase } from '../test/support/database';
import { getCredentials, insertConnection, oauthTokenAad, putCredentials } from './connections';
import { CredentialCipher } from './credential-cipher';
import { reencryptAll } from './reencrypt';

const key = (kid: string) => `${kid}:${randomBytes(32).toString('base64')}`;
const ROOT = path.resolve(__dirname, '..');

describe('key rotation: re-encrypt moves every sealed value to the newest key', () => {
  let db: TestDatabase;
  const k1 = key('k1');
  const k2 = key('k2');
  const k3 = key('k3');
  const ids = ['c1', 'c2', 'c3'];
  const creds = (id: string) => ({ peoplesoft: { method: 'basic', oprid: 'OP', password: `pw-${id}` }, asana: { token: `tok-${id}` } });

  beforeAll(async () => {
    db = await createTestDatabase('reencrypt');
    const old = new CredentialCipher(k1);
    for (const id of ids) {
      await insertConnection(db.pool, { id, customerId: 'acme', pair: 'peoplesoft-asana', config: {} });
      for (const [side, secret] of Object.entries(creds(id))) await putCredentials(db.pool, old, id, side, secret);
      await markPending(db.pool, { connectionId: id, partner: 'asana', resource: 'project-1', targetUrl: 'http://x/webhooks' });
      await storePendingSecret(db.pool, old, { connectionId: id, partner: 'asana', resource: 'project-1' }, `hook-${id}`);
      const t = old.seal(`oauth-${id}`, oauthTokenAad(id, 'jira'));
      await db.pool.query('INSERT INTO oauth_tokens (connection_id, side, key_id, iv, auth_tag, ciphertext, expires_at) VALUES ($1, $2, $3, $4, $5, $6, now())', [
        id,
        'jira',
        t.keyId,
        t.iv,
        t.authTag,
        t.ciphertext,
      ]);
    }
    // A registration without a secret yet (pending handshake) has nothing to move and must be left alone.
    await markPending(db.pool, { connectionId: 'c1', partner: 'asana', resource: 'project-2', targetUrl: 'http://x/webhooks' });
  }, 60_000);
  afterAll(() => db.drop());

  const keyIds = async () => {
    const q = await db.pool.query<{ k: string }>(
      `SELECT key_id AS k FROM connection_credentials UNION ALL SELECT key_id FROM oauth_tokens UNION ALL SELECT secret_key_id FROM webhook_registrations WHERE secret_key_id IS NOT NULL`,
    );
    return q.rows.map((r) => r.k);
  };
  const expectReadable = async (cipher: CredentialCipher) => {
    for (const id of ids) {
      expect(await getCredentials(db.pool, cipher, id)).toEqual(creds(id));
      const reg = (await listRegistrations(db.pool, id, 'asana')).find((r) => r.resource === 'project-1')!;
      expect(openSecret(cipher, reg)).toBe(`hook-${id}`);
      const t = (await db.pool.query('SELECT key_id, iv, auth_tag, ciphertext FROM oauth_tokens WHERE connection_id = $1', [id])).rows[0];
      expect(cipher.open({ keyId: t.key_id, iv: t.iv, authTag: t.auth_tag, ciphertext: t.ciphertext }, oauthTokenAad(id, 'jira'))).toBe(`oauth-${id}`);
    }
  };

  it('k1 rows, MLC_MASTER_KEY=k2,k1: all rows move to k2 in batches and decrypt with k2 alone', async () => {
    expect(new Set(await keyIds())).toEqual(new Set(['k1']));
    await expect(getCredentials(db.pool, new CredentialCipher(k2), 'c1')).rejects.toThrow(/key "k1", which MLC_MASTER_KEY no longer lists/);
    const batches: Array<[string, number]> = [];
    const report = await reencryptAll(db.pool, new CredentialCipher(`${k2},${k1}`), { batchSize: 2, onBatch: (t, n) => batches.push([t, n]) });
    expect(report).toEqual({ connection_credentials: 6, oauth_tokens: 3, webhook_registrations: 3 });
    expect(batches.filter(([t]) => t === 'connection_credentials').map(([, n]) => n)).toEqual([2, 2, 2]);
    expect(new Set(await keyIds())).toEqual(new Set(['k2']));
    await expectReadable(new CredentialCipher(k2));
    // Nothing left: a second run moves nothing.
    expect(await reencryptAll(db.pool, new CredentialCipher(`${k2},${k1}`))).toEqual({ connection_credentials: 0, oauth_tokens: 0, webhook_registrations: 0 });
  });

  it('a row on a key MLC_MASTER_KEY no longer lists stops the batch, names the key and changes nothing', async () => {
    const before = (await db.pool.query<{ ciphertext: Buffer }>("SELECT ciphertext FROM connection_credentials WHERE connection_id = 'c1' ORDER BY side")).rows;
    await expect(reencryptAll(db.pool, new CredentialCipher(k3))).rejects.toThrow(/key "k2", which MLC_MASTER_KEY no longer lists/);
    const after = (await db.pool.query<{ ciphertext: Buffer }>("SELECT ciphertext FROM connection_credentials WHERE connection_id = 'c1' ORDER BY side")).rows;
    expect(after).toEqual(before);
    expect(new Set(await keyIds())).toEqual(new Set(['k2']));
  });

  it('npm run reencrypt does the same from the environment', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(ROOT, 'runtime', 'reencrypt-cli.ts')], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: db.url, MLC_MASTER_KEY: `${k3},${k2}`, NODE_ENV: 'development' },
    });
    expect(stdout).toMatch(/re-encrypted 12 values with key "k3"/);
    expect(new Set(await keyIds())).toEqual(new Set(['k3']));
    await expectReadable(new CredentialCipher(k3));
  }, 60_000);
});
