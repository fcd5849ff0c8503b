import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import path from 'node:path';
import { type Client, type WorkflowHandle } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import { createApp } from '../../api/app';
import { pairOf, syncInputFor } from '../../pairs/derive';
import { PAIR } from '../../pairs/peoplesoft-asana/config';
import { statusQuery } from '../../core/sync-messages';
import { type SyncStatus } from '../../core/sync-types';
import { getConnection, insertConnection, putCredentials } from '../../db/connections';
import { CredentialCipher } from '../../db/credential-cipher';
import { type Db } from '../../db/pool';
import { createLogger } from '../../core/logger';
import { type RunningAsanaSimulator, type SeedResult } from '../../simulators/asana';
import { DEMO_OPRID, DEMO_PASSWORD, type startPeopleSoftSimulator } from '../../simulators/peoplesoft';
import { type PeopleSoftSimAdmin } from '../../simulators/peoplesoft/admin-client';
import { testMasterKey, testServices } from '../support/env';
import { quietBundlerLogger, uniqueTaskQueue } from '../support/temporal';
import { syncStartOptions } from '../../core/sync-start';
import { APPROVAL_FIELDS, pairConfig, startPairSimulators } from '../../pairs/peoplesoft-asana/demo-world';

// Other suites build their connections from the same mapping.
export { APPROVAL_FIELDS as ASANA_FIELDS, pairConfig };
import { eventually, startWorkerProcess, type WorkerProcess } from '../support/worker-process';
import { FAILURE_CONVERTER_PATH } from '../../runtime/payload-codec';

const ROOT = path.resolve(__dirname, '..', '..');

let bundlePath: Promise<string> | undefined;
/** The product's workflows (workflows/index.ts), bundled once per test file. */
export function productBundle(): Promise<string> {
  bundlePath ??= (async () => {
    const { code } = await bundleWorkflowCode({ workflowsPath: path.join(ROOT, 'workflows', 'index.ts'), logger: quietBundlerLogger , failureConverterPath: FAILURE_CONVERTER_PATH });
    const file = path.join(ROOT, '.data', 'test', `pair-bundle-${process.pid}.js`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, code);
    return file;
  })();
  return bundlePath;
}

/** Both simulators, the API (with a switch that makes it answer 503, as if down) and one connection of the pair. */
export class PairScenario {
  readonly connectionId = randomUUID();
  readonly taskQueue = uniqueTaskQueue('pair');
  readonly masterKey = testMasterKey();
  readonly cipher = new CredentialCipher(this.masterKey);
  ps!: Awaited<ReturnType<typeof startPeopleSoftSimulator>>;
  psAdmin!: PeopleSoftSimAdmin;
  asana!: RunningAsanaSimulator;
  world!: SeedResult;
  api!: Server;
  apiUrl!: string;
  apiDown = false;
  worker?: WorkerProcess;
  handle?: WorkflowHandle;

  constructor(
    readonly client: Client,
    readonly pool: Db,
  ) {}

  async setup(counts: { voucher: number; requisition: number }): Promise<void> {
    ({ ps: this.ps, psAdmin: this.psAdmin, asana: this.asana, world: this.world } = await startPairSimulators(counts));
    const app = createApp({ pool: this.pool, temporal: this.client, logger: createLogger('silent', 'api'), taskQueue: this.taskQueue, masterKey: this.masterKey });
    this.api = createServer((req, res) => {
      if (this.apiDown) {
        res.statusCode = 503;
        res.end();
        return;
      }
      app(req, res);
    });
    await new Promise<void>((resolve) => this.api.listen(0, '127.0.0.1', resolve));
    this.apiUrl = `http://127.0.0.1:${(this.api.address() as AddressInfo).port}`;

    const config = pairConfig(this.world, this.ps.baseUrl, this.asana.apiUrl, this.apiUrl);
    await insertConnection(this.pool, { id: this.connectionId, customerId: 'acme', pair: PAIR, config: config as Record<string, unknown> });
    await putCredentials(this.pool, this.cipher, this.connectionId, 'peoplesoft', { method: 'basic', oprid: DEMO_OPRID, password: DEMO_PASSWORD });
    await putCredentials(this.pool, this.cipher, this.connectionId, 'asana', { method: 'pat', token: this.world.users[0]!.token });
  }

  async startWorker(): Promise<void> {
    this.worker = await startProductWorker({ pool: this.pool, taskQueue: this.taskQueue, masterKey: this.masterKey });
  }

  async startWorkflow(): Promise<WorkflowHandle> {
    const connection = (await getConnection(this.pool, this.connectionId))!;
    this.handle = await this.client.workflow.start(pairOf(PAIR).workflowType, syncStartOptions(syncInputFor(connection), this.taskQueue));
    return this.handle;
  }

  status(): Promise<SyncStatus> {
    return this.handle!.query(statusQuery);
  }

  /** Asks for a poll and waits until it has finished. */
  pollAndWait(timeoutMs = 120_000): Promise<SyncStatus> {
    return pollAndWait(this.handle!, timeoutMs);
  }

  async stop(): Promise<void> {
    await this.handle?.terminate('test finished').catch(() => undefined);
    await this.worker?.stop();
    await new Promise((resolve) => this.api?.close(resolve));
    await this.asana?.close();
    await this.ps?.close();
  }
}

/**
 * The product's worker (shipped flows, product bundle) in its own process, on this run's Temporal (or `temporal`, a
 * server a fault scenario owns) and a test database; `env` adds to the worker's environment.
 */
export async function startProductWorker(opts: { pool: Db; taskQueue: string; masterKey: string; logLevel?: string; env?: Record<string, string>; temporal?: { address: string; namespace: string } }): Promise<WorkerProcess> {
  const s = { ...testServices(), ...(opts.temporal ? { temporalAddress: opts.temporal.address, namespace: opts.temporal.namespace } : {}) };
  const dbUrl = (opts.pool as unknown as { options: { connectionString: string } }).options.connectionString;
  return startWorkerProcess(path.join(ROOT, 'test', 'fixtures', 'pair-worker.ts'), {
    TEST_TEMPORAL_ADDRESS: s.temporalAddress,
    TEST_NAMESPACE: s.namespace,
    TEST_TASK_QUEUE: opts.taskQueue,
    TEST_DATABASE_URL: dbUrl,
    TEST_MASTER_KEY: opts.masterKey,
    TEST_WORKFLOW_BUNDLE: await productBundle(),
    ...(opts.logLevel ? { TEST_LOG_LEVEL: opts.logLevel } : {}),
    ...opts.env,
  });
}

/** Asks a sync workflow for a poll and waits until that poll has finished and the sync is idle again. */
export async function pollAndWait(handle: WorkflowHandle, timeoutMs: number): Promise<SyncStatus> {
  const status = (): Promise<SyncStatus> => handle.query(statusQuery);
  const before = (await status()).totals.polls;
  await handle.signal('pollNow');
  return eventually(async () => {
    const s = await status();
    return s.totals.polls > before && s.state === 'idle' && s;
  }, timeoutMs, 'a finished poll');
}
