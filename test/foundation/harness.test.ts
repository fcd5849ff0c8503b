import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { type Client } from '@temporalio/client';
import { createHarnessActivities } from '../fixtures/harness-activities';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { createTestWorker, quietBundlerLogger, testClient, uniqueTaskQueue } from '../support/temporal';
import { FAILURE_CONVERTER_PATH } from '../../runtime/payload-codec';

describe('harness: real Temporal dev server + real PostgreSQL', () => {
  let db: TestDatabase;
  let client: Client;
  let workflowBundle: { code: string };

  beforeAll(async () => {
    db = await createTestDatabase('harness');
    await db.pool.query('CREATE TABLE harness_rows (id text PRIMARY KEY, attempt int NOT NULL)');
    client = await testClient();
    workflowBundle = await bundleWorkflowCode({ workflowsPath: path.resolve(__dirname, '..', 'fixtures', 'harness-workflows.ts'), logger: quietBundlerLogger , failureConverterPath: FAILURE_CONVERTER_PATH });
  });
  afterAll(async () => {
    await client.connection.close();
    await db.drop();
  });

  it('runs a workflow whose activity writes a row, across a worker restart mid-activity, and the row exists once', async () => {
    const taskQueue = uniqueTaskQueue('harness');
    const first = await createTestWorker({ taskQueue, workflowBundle, activities: createHarnessActivities(db.pool, { hangAfterWrite: true }), shutdownGraceTime: '100ms' });
    const firstRun = first.worker.run();

    const handle = await client.workflow.start('harnessWorkflow', { taskQueue, workflowId: `harness-${taskQueue}`, args: ['row-1'] });
    // Wait until the first attempt has written its row and is hanging, then take the worker away.
    for (let i = 0; i < 200; i++) {
      const { rows } = await db.pool.query('SELECT 1 FROM harness_rows WHERE id = $1', ['row-1']);
      if (rows.length > 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    first.worker.shutdown();
    await firstRun;
    await first.connection.close();

    const second = await createTestWorker({ taskQueue, workflowBundle, activities: createHarnessActivities(db.pool, { hangAfterWrite: false }) });
    const result = await second.worker.runUntil(handle.result());
    await second.connection.close();

    expect(result).toBe(1);
    const { rows } = await db.pool.query<{ id: string; attempt: number }>('SELECT id, attempt FROM harness_rows');
    expect(rows).toEqual([{ id: 'row-1', attempt: 1 }]);
    const history = await handle.fetchHistory();
    const started = (history.events ?? []).filter((e) => e.activityTaskStartedEventAttributes);
    // The activity really ran twice (once per worker); only the second attempt reached completion.
    expect(started.at(-1)?.activityTaskStartedEventAttributes?.attempt).toBeGreaterThanOrEqual(2);
  });
});
