/**
 * `npm run api-key -- create --admin` (or `--customer <id>`), `list`, `revoke <prefix>`. Runs against the database
 * directly: it is how the first admin key comes to exist, before any key can call the API. A created key is printed
 * once; only its hash is stored.
 */
import { Command } from 'commander';
import { parseScope } from '../api/auth/api-key-format';
import { createApiKey } from '../api/auth/create-api-key';
import { listApiKeys, revokeApiKey } from '../db/api-keys';
import { openDatabase, type Database } from './database';
import { loadConfigOrExit } from './load-config';

async function withDb<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase(loadConfigOrExit(), (line) => process.stderr.write(`${line}\n`));
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

const program = new Command('api-key').description('manage API keys for the ml-connector HTTP API');
program
  .command('create')
  .option('--admin', 'a key that sees every customer')
  .option('--customer <id>', 'a key that sees only this customer')
  .option('--label <text>', 'who or what the key is for')
  .action(async (o: { admin?: boolean; customer?: string; label?: string }) => {
    if (Boolean(o.admin) === Boolean(o.customer)) throw new Error('give exactly one of --admin or --customer <id>');
    const scope = parseScope(o.admin ? 'admin' : `customer:${o.customer}`)!;
    const created = await withDb((db) => createApiKey(db.pool, scope, o.label));
    process.stderr.write(`created key ${created.prefix} (${created.scope}); it is shown once, store it now:\n`);
    process.stdout.write(`${created.key}\n`);
  });
program.command('list').action(async () => {
  const rows = await withDb((db) => listApiKeys(db.pool));
  for (const r of rows) process.stdout.write(`${r.prefix}  ${r.scope.padEnd(24)} ${r.revoked_at ? 'revoked' : 'active '}  ${r.label ?? ''}\n`);
});
program
  .command('revoke <prefix>')
  .action(async (prefix: string) => {
    if (!(await withDb((db) => revokeApiKey(db.pool, prefix)))) throw new Error(`no active key ${prefix}`);
    process.stdout.write(`revoked ${prefix}\n`);
  });

program.parseAsync().catch((err: unknown) => {
  process.stderr.write(`api-key: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
