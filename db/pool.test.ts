import { createTestDatabase, type TestDatabase } from '../test/support/database';
import { inTransaction } from './pool';

describe('inTransaction when the server goes away (real PostgreSQL)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('pool');
  });
  afterAll(async () => {
    await db.drop();
  });

  it('fails the transaction instead of crashing the process when its connection is terminated between two statements, and the pool goes on', async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (err: unknown) => uncaught.push(err);
    process.on('uncaughtException', onUncaught);
    try {
      const attempt = inTransaction(db.pool, async (client) => {
        const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        // Another session ends this one while it is idle in the transaction: the client hears it as an 'error' event.
        await db.pool.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
        await new Promise((r) => setTimeout(r, 300));
        await client.query('SELECT 1');
      });
      await expect(attempt).rejects.toThrow();
      expect(uncaught).toEqual([]);
      // The broken client was destroyed, not handed out again.
      await expect(inTransaction(db.pool, (client) => client.query('SELECT 1 AS one'))).resolves.toMatchObject({ rows: [{ one: 1 }] });
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });
});
