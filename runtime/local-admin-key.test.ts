import { promises as fs, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { verifyApiKey } from '../api/middleware/authenticate';
import { revokeApiKey } from '../db/api-keys';
import { createTestDatabase, type TestDatabase } from '../test/support/database';
import { ensureLocalAdminKey } from './local-admin-key';
import { readLocalAdminKey } from './local-admin-key-file';

describe('the local admin key npm start keeps in the data dir', () => {
  let db: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    db = await createTestDatabase('local-admin-key');
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mlc-local-key-'));
  });
  afterAll(async () => {
    await db.drop();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('is created once (0600, an active admin key), kept across starts with the API URL updated, and replaced when revoked', async () => {
    const first = await ensureLocalAdminKey(db.pool, dir, 'http://127.0.0.1:3000');
    expect(first.created).toBe(true);
    expect(statSync(first.file).mode & 0o777).toBe(0o600);
    const stored = readLocalAdminKey(dir)!;
    expect((await verifyApiKey(db.pool, stored.key))?.scope).toEqual({ kind: 'admin' });

    const again = await ensureLocalAdminKey(db.pool, dir, 'http://127.0.0.1:3100');
    expect(again).toMatchObject({ created: false, prefix: first.prefix });
    expect(readLocalAdminKey(dir)).toEqual({ apiUrl: 'http://127.0.0.1:3100', key: stored.key });

    await revokeApiKey(db.pool, first.prefix);
    const renewed = await ensureLocalAdminKey(db.pool, dir, 'http://127.0.0.1:3100');
    expect(renewed.created).toBe(true);
    expect(renewed.prefix).not.toBe(first.prefix);
    expect(await verifyApiKey(db.pool, readLocalAdminKey(dir)!.key)).toBeDefined();
  });
});
