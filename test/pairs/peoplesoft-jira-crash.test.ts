import type { Client } from '@temporalio/client';
import { listDeadLetters } from '../../db/dead-letters';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { testClient } from '../support/temporal';
import { eventually } from '../support/worker-process';
import { JiraPairScenario } from './jira-scenario';

/**
 * The worker is SIGKILLed in the middle of a first sync: a new one finishes it, no duplicate, nothing missing. 500
 * documents are enough to kill it mid-write; the 1,000-document count is the main suite's, which keeps the pair's
 * two files within the test budget.
 */
const COUNTS = { purchaseOrder: 168, requisition: 166, voucher: 166 };
const N = COUNTS.purchaseOrder + COUNTS.requisition + COUNTS.voucher;

describe('PeopleSoft -> Jira survives a SIGKILL of the worker mid-sync', () => {
  let db: TestDatabase;
  let client: Client;
  let s: JiraPairScenario;

  beforeAll(async () => {
    db = await createTestDatabase('pair-ps-jira-crash');
    client = await testClient();
    s = new JiraPairScenario(client, db.pool);
    await s.setup(COUNTS);
    await s.startWorker();
  }, 180_000);
  afterAll(async () => {
    await s?.stop();
    await client?.connection.close();
    await db?.drop();
  });

  it(`ends with exactly ${N} issues, one per document`, async () => {
    await s.startWorkflow();
    await eventually(async () => (await s.jira.admin.issues()).length >= N / 4, 180_000, 'a quarter of the issues written');
    await s.worker!.kill();
    const atKill = (await s.jira.admin.issues()).length;
    expect(atKill).toBeLessThan(N);
    await s.startWorker();
    await eventually(async () => (await s.status()).totals.polls >= 1 && (await s.status()).state === 'idle', 300_000, 'the interrupted poll finished by the new worker');
    const issues = await s.issuesByKey();
    expect(issues.size).toBe(N);
    expect([...issues.entries()].filter(([, list]) => list.length > 1).map(([k]) => k)).toEqual([]);
    expect(await listDeadLetters(db.pool, { connectionId: s.connectionId })).toEqual([]);
  }, 420_000);
});
