/**
 * `npm run reencrypt`: after putting a new key first in MLC_MASTER_KEY (`new:...,old:...`), moves every encrypted row
 * (credentials, OAuth tokens, webhook secrets) to it. Safe to run while the product runs and to run again; once it
 * reports nothing left, the old key can be removed from MLC_MASTER_KEY.
 */
import { CredentialCipher } from '../db/credential-cipher';
import { reencryptAll } from '../db/reencrypt';
import { openDatabase } from './database';
import { loadConfigOrExit } from './load-config';
import { ensureLocalMasterKey, requireMasterKey } from './master-key';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  // Locally, the key npm start generated in the data dir (the same one it encrypts with); production sets MLC_MASTER_KEY.
  if (!config.MLC_MASTER_KEY && config.NODE_ENV !== 'production') config.MLC_MASTER_KEY = ensureLocalMasterKey(config.MLC_DATA_DIR);
  const cipher = new CredentialCipher(requireMasterKey(config.MLC_MASTER_KEY));
  const db = await openDatabase(config, (line) => process.stdout.write(`${line}\n`));
  try {
    const report = await reencryptAll(db.pool, cipher, { onBatch: (table, n) => process.stdout.write(`${table}: ${n} rows moved to key "${cipher.activeKeyId}"\n`) });
    const total = Object.values(report).reduce((a, b) => a + b, 0);
    process.stdout.write(`re-encrypted ${total} values with key "${cipher.activeKeyId}" (${Object.entries(report).map(([t, n]) => `${t} ${n}`).join(', ')})\n`);
  } finally {
    await db.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`reencrypt failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
