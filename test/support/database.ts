import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { migrateUp } from '../../db/migrate';
import { createPool } from '../../db/pool';
import { testServices } from './env';

export interface TestDatabase {
  url: string;
  pool: Pool;
  drop(): Promise<void>;
}

/** Each test file gets its own migrated database on the run's PostgreSQL, so files never see each other's rows. */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const base = new URL(testServices().databaseUrl);
  const name = `t_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase().slice(0, 30)}_${randomBytes(3).toString('hex')}`;
  const admin = new Pool({ connectionString: base.toString(), max: 1 });
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  const pool = createPool(url.toString(), 20);
  await migrateUp(pool);
  return {
    url: url.toString(),
    pool,
    drop: async () => {
      await pool.end();
      const a = new Pool({ connectionString: base.toString(), max: 1 });
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}
