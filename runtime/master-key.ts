import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Local runs only: a random credential key generated on first start and kept in the data dir (mode 0600), so
 * `npm start` needs no set-up and ships no default secret. Production must set MLC_MASTER_KEY (config enforces it).
 */
export function ensureLocalMasterKey(dataDir: string): string {
  const file = path.resolve(dataDir, 'master-key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(path.dirname(file), { recursive: true });
  const value = `local1:${randomBytes(32).toString('base64')}`;
  writeFileSync(file, `${value}\n`, { mode: 0o600 });
  return value;
}

export function requireMasterKey(value: string | undefined): string {
  if (!value) throw new Error('MLC_MASTER_KEY is not set: set it to kid:base64(32 random bytes), e.g. k1:$(openssl rand -base64 32)');
  return value;
}
