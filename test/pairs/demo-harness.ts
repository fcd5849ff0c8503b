import { type Client } from '@temporalio/client';
import { startDemoSimulators } from '../support/demo-simulators';
import { createApp } from '../../api/app';
import { createLogger } from '../../core/logger';
import { listen, type Listening } from '../../core/listen';
import { statusQuery, syncWorkflowId } from '../../core/sync-messages';
import { type SyncStatus } from '../../core/sync-types';
import { type PairDefinition } from '../../pairs/types';
import { startDemoConnection } from '../../runtime/demo-connection';
import { type RunningSimulator } from '../../simulators/kit/types';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { testMasterKey } from '../support/env';
import { testClient, uniqueTaskQueue } from '../support/temporal';
import { eventually, type WorkerProcess } from '../support/worker-process';
import { startProductWorker } from './pair-harness';

export interface DemoWorld {
  readonly db: TestDatabase;
  /** Simulator base URLs by partner name, as `npm start` passes them to the pair's demo. */
  readonly simulators: Record<string, string>;
  readonly connectionId: string;
  /** Starts the pair's demo connection as `npm start` does and waits for its first poll to finish. */
  firstPoll(): Promise<SyncStatus>;
}

/**
 * The demo `npm start` runs for one pair, on real PostgreSQL, Temporal, the product worker process and our API: the
 * pair's demo simulators with 50 records per object. Registers its own beforeAll/afterAll in the calling describe.
 */
export function demoHarness(pair: PairDefinition, name: string): DemoWorld {
  let db: TestDatabase | undefined;
  let client: Client | undefined;
  let api: Listening | undefined;
  let worker: WorkerProcess | undefined;
  const sims: RunningSimulator[] = [];
  const simulators: Record<string, string> = {};
  const masterKey = testMasterKey();
  const taskQueue = uniqueTaskQueue(name);
  const connectionId = name;

  beforeAll(async () => {
    db = await createTestDatabase(name);
    client = await testClient();
    Object.assign(simulators, await startDemoSimulators(pair.demo.simulators, sims, { demoRecords: 50 }));
    api = await listen(createApp({ pool: db.pool, temporal: client, logger: createLogger('silent', 'api'), taskQueue, masterKey }));
    worker = await startProductWorker({ pool: db.pool, taskQueue, masterKey });
  }, 120_000);
  afterAll(async () => {
    await client?.workflow.getHandle(syncWorkflowId(connectionId)).terminate('test finished').catch(() => undefined);
    await worker?.stop();
    await api?.close();
    for (const sim of sims) await sim.close();
    await client?.connection.close();
    await db?.drop();
  });

  return {
    get db() {
      return db!;
    },
    simulators,
    connectionId,
    async firstPoll() {
      const demo = await startDemoConnection(pair, { pool: db!.pool, temporal: client!, taskQueue, masterKey, simulators, apiUrl: api!.baseUrl, connectionId });
      return eventually(async () => {
        const s = await client!.workflow.getHandle(demo.workflowId).query(statusQuery);
        return s.totals.polls >= 1 && s.state === 'idle' && s;
      }, 180_000, "the demo connection's first poll");
    },
  };
}
