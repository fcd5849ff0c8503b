import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Client, type WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { statusQuery } from '../../core/sync-messages';
import { type FlowSettings, type SyncInput } from '../../core/sync-types';
import { insertConnection } from '../../db/connections';
import { type Db } from '../../db/pool';
import { testMasterKey, testServices } from '../support/env';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { quietBundlerLogger, testClient, uniqueTaskQueue } from '../support/temporal';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process';
import { syncStartOptions } from '../../core/sync-start';
import { TestPartner } from '../fixtures/test-partner';
import { FAILURE_CONVERTER_PATH } from '../../runtime/payload-codec';
import { decodeHistoryPayloads } from '../support/decode-history';

const ROOT = path.resolve(__dirname, '..', '..');
export const FLOW = 'test-records-to-entries';

let bundlePath: Promise<string> | undefined;
/** The engine fixture workflows, bundled once per test file. */
export function engineBundle(): Promise<string> {
  bundlePath ??= (async () => {
    const { code } = await bundleWorkflowCode({ workflowsPath: path.join(ROOT, 'test', 'fixtures', 'engine-workflows.ts'), logger: quietBundlerLogger , failureConverterPath: FAILURE_CONVERTER_PATH });
    const file = path.join(ROOT, '.data', 'test', `engine-bundle-${process.pid}.js`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, code);
    return file;
  })();
  return bundlePath;
}

/** One connection of the engine test pair: its partner, its worker process, its workflow. */
export class EngineScenario {
  readonly partner = new TestPartner();
  readonly connectionId = randomUUID();
  readonly taskQueue = uniqueTaskQueue('engine');
  readonly masterKey = testMasterKey();
  worker?: WorkerProcess;
  handle?: WorkflowHandleWithFirstExecutionRunId;

  constructor(
    private readonly client: Client,
    private readonly pool: Db,
  ) {}

  /** `flow`: the settings of the one flow FLOW; `flows`: several flows of the test pair, as declared. */
  async start(opts: { flow?: Omit<FlowSettings, 'flow' | 'enabled'>; flows?: FlowSettings[]; schedule?: string }): Promise<WorkflowHandleWithFirstExecutionRunId> {
    const partnerUrl = await this.partner.start();
    await insertConnection(this.pool, { id: this.connectionId, customerId: 'acme', pair: 'engine-test', config: { partnerUrl } });
    await this.startWorker();
    const input: SyncInput = {
      connectionId: this.connectionId,
      customerId: 'acme',
      pair: 'engine-test',
      schedule: opts.schedule ?? '@every 1h',
      flows: opts.flows ?? [{ flow: FLOW, enabled: true, ...opts.flow! }],
    };
    this.handle = await this.client.workflow.start('engineTestSync', syncStartOptions(input, this.taskQueue));
    return this.handle;
  }

  async startWorker(): Promise<void> {
    const s = testServices();
    const dbUrl = (this.pool as unknown as { options: { connectionString: string } }).options.connectionString;
    this.worker = await startWorkerProcess(path.join(ROOT, 'test', 'fixtures', 'engine-worker.ts'), {
      TEST_TEMPORAL_ADDRESS: s.temporalAddress,
      TEST_NAMESPACE: s.namespace,
      TEST_TASK_QUEUE: this.taskQueue,
      TEST_DATABASE_URL: dbUrl,
      TEST_MASTER_KEY: this.masterKey,
      TEST_WORKFLOW_BUNDLE: await engineBundle(),
    });
  }

  status() {
    return this.handle!.query(statusQuery);
  }

  async linkedKeys(): Promise<Set<string>> {
    const { rows } = await this.pool.query<{ source_key: string }>(`SELECT source_key FROM record_links WHERE connection_id = $1 AND state = 'linked'`, [this.connectionId]);
    return new Set(rows.map((r) => r.source_key));
  }

  async stop(): Promise<void> {
    await this.handle?.terminate('test finished').catch(() => undefined);
    await this.worker?.stop();
    await this.partner.stop();
  }
}

/**
 * `MLC_RECORD_HISTORIES=1 npm test -- test/engine` refreshes the committed histories that test/engine/replay.test.ts
 * replays; commit them only together with a deliberate workflow change (with a patch once anything runs in production).
 */
export async function recordHistory(name: string, handle: WorkflowHandleWithFirstExecutionRunId, client: Client): Promise<void> {
  if (process.env.MLC_RECORD_HISTORIES !== '1') return;
  const history = await client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId).fetchHistory();
  // Payloads are encrypted under this file's random key; the committed history must replay under any key.
  await decodeHistoryPayloads(history, testMasterKey());
  // Binary protobuf: the SDK's JSON path goes through proto3-json-serializer, whose protobufjs 7 rejects the SDK's
  // protobufjs 8 types ("type must be a Type").
  writeFileSync(path.join(ROOT, 'test', 'histories', `${name}.bin`), temporal.api.history.v1.History.encode(history).finish());
}

/**
 * One engine test file's services: a database of its own, the Temporal client, and every scenario it starts, stopped
 * after the file. Call at the top of a describe block; `db` and `client` are there from the first test on.
 */
export function engineSuite(databaseName: string): { readonly db: TestDatabase; readonly client: Client; scenario: () => EngineScenario } {
  let db: TestDatabase | undefined;
  let client: Client | undefined;
  const scenarios: EngineScenario[] = [];
  beforeAll(async () => {
    db = await createTestDatabase(databaseName);
    client = await testClient();
  });
  afterAll(async () => {
    for (const s of scenarios) await s.stop();
    await client?.connection.close();
    await db?.drop();
  });
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`engineSuite: ${what} is ready only inside tests (after beforeAll)`);
    return value;
  };
  return {
    get db() {
      return ready(db, 'the database');
    },
    get client() {
      return ready(client, 'the Temporal client');
    },
    scenario: () => {
      const s = new EngineScenario(ready(client, 'the Temporal client'), ready(db, 'the database').pool);
      scenarios.push(s);
      return s;
    },
  };
}
