/** `npm run migrate` applies pending migrations; `npm run migrate -- down` reverts the newest one. */
import { migrateDown, migrateUp } from '../db/migrate';
import { openDatabase } from './database';
import { loadConfigOrExit } from './load-config';

async function main(): Promise<void> {
  const direction = process.argv[2] ?? 'up';
  if (direction !== 'up' && direction !== 'down') throw new Error(`usage: npm run migrate [-- up|down]; got ${direction}`);
  const config = loadConfigOrExit();
  // openDatabase applies pending migrations on open, so "up" is done once it returns.
  const db = await openDatabase(config, (line) => process.stdout.write(`${line}\n`));
  try {
    if (direction === 'down') process.stdout.write(`reverted: ${(await migrateDown(db.pool)) ?? 'nothing to revert'}\n`);
    else process.stdout.write(`up to date (${(await migrateUp(db.pool)).length} pending applied just now)\n`);
  } finally {
    await db.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`migrate failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
