import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { type Pool } from 'pg';
import { withClient } from './pool';

export const MIGRATIONS_DIR = path.resolve(__dirname, '..', 'migrations');
const NAME = /^(\d{14})_([a-z0-9-]+)\.(up|down)\.sql$/;
// Any constant works; it serialises concurrent runners (API and worker starting together).
const LOCK_KEY = 7_233_001;

interface Migration {
  id: string;
  slug: string;
  up: string;
  down?: string;
}

async function listMigrations(dir: string): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const byId = new Map<string, Migration>();
  const slugs = new Map<string, string>();
  for (const file of files) {
    const m = NAME.exec(file);
    if (!m) throw new Error(`migration file ${file} must be named <14-digit timestamp>_<slug>.(up|down).sql`);
    const [, id, slug, dirn] = m as unknown as [string, string, string, 'up' | 'down'];
    if (slugs.has(slug) && slugs.get(slug) !== id) throw new Error(`migration slug "${slug}" is used twice`);
    slugs.set(slug, id);
    const sql = await readFile(path.join(dir, file), 'utf8');
    const entry = byId.get(id) ?? { id, slug, up: '' };
    if (dirn === 'up') entry.up = sql;
    else entry.down = sql;
    byId.set(id, entry);
  }
  for (const m of byId.values()) if (!m.up) throw new Error(`migration ${m.id}_${m.slug} has no .up.sql`);
  return [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
}

/** Applies pending migrations in order, each in its own transaction, under an advisory lock. Returns applied ids. */
export async function migrateUp(pool: Pool, dir = MIGRATIONS_DIR): Promise<string[]> {
  const migrations = await listMigrations(dir);
  return withClient(pool, async (client) => {
    try {
      await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
      await client.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (id text PRIMARY KEY, slug text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
      );
      const done = new Set((await client.query<{ id: string }>('SELECT id FROM schema_migrations')).rows.map((r) => r.id));
      const applied: string[] = [];
      for (const m of migrations) {
        if (done.has(m.id)) continue;
        await client.query('BEGIN');
        try {
          await client.query(m.up);
          await client.query('INSERT INTO schema_migrations (id, slug) VALUES ($1, $2)', [m.id, m.slug]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK');
          throw new Error(`migration ${m.id}_${m.slug} failed: ${(err as Error).message}`);
        }
        applied.push(`${m.id}_${m.slug}`);
      }
      return applied;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => undefined);
    }
  });
}

/** Reverts the newest applied migration with its .down.sql. */
export async function migrateDown(pool: Pool, dir = MIGRATIONS_DIR): Promise<string | undefined> {
  const migrations = await listMigrations(dir);
  return withClient(pool, async (client) => {
    try {
      await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
      const last = (await client.query<{ id: string }>('SELECT id FROM schema_migrations ORDER BY id DESC LIMIT 1')).rows[0];
      if (!last) return undefined;
      const m = migrations.find((x) => x.id === last.id);
      if (!m?.down) throw new Error(`migration ${last.id} has no .down.sql`);
      await client.query('BEGIN');
      await client.query(m.down);
      await client.query('DELETE FROM schema_migrations WHERE id = $1', [m.id]);
      await client.query('COMMIT');
      return `${m.id}_${m.slug}`;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => undefined);
    }
  });
}
