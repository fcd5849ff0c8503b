import { promises as fs } from 'node:fs';
import path from 'node:path';
import { credentialsPath, pidAlive, processName, readCredentials } from './embedded-postgres';

/**
 * The embedded PostgreSQL another process of this checkout (usually `npm start`) runs on `dataDir`, as a URL, so the
 * CLIs that need the database (api-key, migrate, reencrypt) share it instead of refusing to start a second server on
 * the same data dir. Found the way PostgreSQL itself guards its data dir: postmaster.pid names the live postmaster
 * and its port (https://www.postgresql.org/docs/current/storage-file-layout.html); the password is the cluster's
 * 0600 credentials file beside the data dir. Undefined when no live postmaster owns the data dir.
 */
export async function runningEmbeddedPostgres(dataDir: string, database = 'mlc'): Promise<{ url: string; pid: number; port: number } | undefined> {
  const dir = path.resolve(dataDir);
  const content = await fs.readFile(path.join(dir, 'postmaster.pid'), 'utf8').catch(() => undefined);
  if (!content) return undefined;
  const lines = content.split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]?.trim());
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port) || port <= 0 || !pidAlive(pid)) return undefined;
  const name = await processName(pid);
  if (name !== undefined && !name.startsWith('postgres')) return undefined;
  // postmaster.pid line 5 is the listen address; ours is always loopback (embedded-postgres.ts).
  const creds = await readCredentials(credentialsPath(dir));
  if (!creds) throw new Error(`PostgreSQL runs on ${dir} (pid ${pid}, port ${port}) but its password file ${credentialsPath(dir)} is missing`);
  const url = new URL(`postgres://127.0.0.1:${port}/${encodeURIComponent(database)}`);
  url.username = encodeURIComponent(creds.user);
  url.password = encodeURIComponent(creds.password);
  return { url: url.href, pid, port };
}
