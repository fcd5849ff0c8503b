import path from 'node:path';
import { type AppConfig } from '../core/config';
import { startEmbeddedPostgres } from '../db/embedded-postgres';
import { migrateUp } from '../db/migrate';
import { runningEmbeddedPostgres } from '../db/running-postgres';
import { createPool, type Db } from '../db/pool';

export interface Database {
  url: string;
  pool: Db;
  /** Closes the pool, and stops the embedded server if this process started it. */
  close(): Promise<void>;
}

/**
 * DATABASE_URL when set (production); otherwise the embedded PostgreSQL under MLC_DATA_DIR/pg: the one already
 * running there (`npm start`'s, so `npm run api-key` works beside it; it is left running on close), or a new one.
 * Migrations run on every start: they are idempotent and serialised by an advisory lock.
 */
export async function openDatabase(config: AppConfig, log: (line: string) => void): Promise<Database> {
  let url = config.DATABASE_URL;
  let stopEmbedded: (() => Promise<void>) | undefined;
  if (!url) {
    const dataDir = path.resolve(config.MLC_DATA_DIR, 'pg');
    const running = await runningEmbeddedPostgres(dataDir);
    if (running) log(`using the running embedded PostgreSQL (pid ${running.pid}, port ${running.port}, data in ${dataDir})`);
    url = running?.url;
  }
  if (!url) {
    const dataDir = path.resolve(config.MLC_DATA_DIR, 'pg');
    log(`starting embedded PostgreSQL (data in ${dataDir}, port ${config.EMBEDDED_PG_PORT})`);
    const embedded = await startEmbeddedPostgres({ dataDir, port: config.EMBEDDED_PG_PORT, log });
    url = embedded.url;
    stopEmbedded = embedded.stop;
  }
  const pool = createPool(url);
  const applied = await migrateUp(pool);
  if (applied.length > 0) log(`applied migrations: ${applied.join(', ')}`);
  return {
    url,
    pool,
    close: async () => {
      await pool.end();
      await stopEmbedded?.();
    },
  };
}
