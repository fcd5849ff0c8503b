import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * Local runs only: the admin API key `npm start` creates on a machine's first start, kept (0600) in the data dir with
 * the URL of the API it belongs to, so `mlc` works right after `npm start` with nothing set by hand. Production never
 * writes or reads it (start.ts and mlc check NODE_ENV): there every caller brings its own key. This file only reads
 * it (mlc loads nothing else); local-admin-key.ts creates it.
 */
export const LOCAL_ADMIN_KEY_FILE = 'local-admin-key.json';

const fileSchema = z.object({ apiUrl: z.url(), key: z.string().min(1) });
export type LocalAdminKey = z.infer<typeof fileSchema>;

export function localAdminKeyPath(dataDir: string): string {
  return path.resolve(dataDir, LOCAL_ADMIN_KEY_FILE);
}

export function readLocalAdminKey(dataDir: string): LocalAdminKey | undefined {
  const file = localAdminKeyPath(dataDir);
  if (!existsSync(file)) return undefined;
  const parsed = fileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  return parsed.success ? parsed.data : undefined;
}
