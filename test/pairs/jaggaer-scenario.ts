import { randomUUID } from 'node:crypto';
import { type Client, type WorkflowHandle } from '@temporalio/client';
import { pairOf, syncInputFor } from '../../pairs/derive';
import { PAIR } from '../../pairs/peoplesoft-jaggaer/config';
import { pairConfig } from '../../pairs/peoplesoft-jaggaer/demo-world';
import { statusQuery } from '../../core/sync-messages';
import { syncStartOptions } from '../../core/sync-start';
import { type SyncStatus } from '../../core/sync-types';
import { getConnection, insertConnection, putCredentials } from '../../db/connections';
import { CredentialCipher } from '../../db/credential-cipher';
import { listDeadLetters } from '../../db/dead-letters';
import { startJaggaerSimulator, type RunningJaggaerSimulator } from '../../simulators/jaggaer';
import { type SimResource } from '../../simulators/jaggaer/resources';
import { DEMO_OPRID, DEMO_PASSWORD, startPeopleSoftSimulator } from '../../simulators/peoplesoft';
import { PeopleSoftSimAdmin } from '../../simulators/peoplesoft/admin-client';
import { type Row } from '../../simulators/peoplesoft/tables';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { testMasterKey } from '../support/env';
import { testClient, uniqueTaskQueue } from '../support/temporal';
import { eventually, type WorkerProcess } from '../support/worker-process';
import { startProductWorker } from './pair-harness';

/**
 * One PeopleSoft <-> JAGGAER connection on the real Temporal server and PostgreSQL, the product worker process and
 * both simulators (fresh data): what the pair's end-to-end suites share.
 */
export class JaggaerPairScenario {
  readonly connectionId = randomUUID();
  readonly taskQueue = uniqueTaskQueue('pair-jaggaer');
  readonly masterKey = testMasterKey();
  db!: TestDatabase;
  client!: Client;
  ps!: Awaited<ReturnType<typeof startPeopleSoftSimulator>>;
  psAdmin!: PeopleSoftSimAdmin;
  jaggaer!: RunningJaggaerSimulator;
  worker!: WorkerProcess;
  handle!: WorkflowHandle;
  /** The connection's decrypted credentials, for tests that build a flow's adapter directly. */
  credentials: Record<string, unknown> = {};

  /** Simulators seeded (PeopleSoft `psCounts` rows per table, `jaggaerSuppliers` supplier profiles), connection stored, worker up. */
  async setUp(name: string, seed: { psCounts: Record<string, number>; jaggaerSuppliers: number; customize?: () => Promise<void> }): Promise<void> {
    this.db = await createTestDatabase(name);
    this.client = await testClient();
    this.ps = await startPeopleSoftSimulator({ port: 0 });
    this.psAdmin = new PeopleSoftSimAdmin(this.ps.baseUrl);
    await this.psAdmin.setConfig({ slowQuery: { msPerDay: 0, maxMs: 0 } });
    await this.psAdmin.seed({ recordsPerObject: 0, counts: seed.psCounts });
    this.jaggaer = await startJaggaerSimulator({ port: 0 });
    await this.jaggaer.admin.seed({ suppliers: seed.jaggaerSuppliers });
    await seed.customize?.();
    await insertConnection(this.db.pool, { id: this.connectionId, customerId: `jaggaer-${name}`, pair: PAIR, config: pairConfig(this.ps.baseUrl, this.jaggaer.instanceUrl) as Record<string, unknown> });
    const cipher = new CredentialCipher(this.masterKey);
    this.credentials = { peoplesoft: { method: 'basic', oprid: DEMO_OPRID, password: DEMO_PASSWORD }, jaggaer: { method: 'client_credentials', ...this.jaggaer.client } };
    for (const [side, secret] of Object.entries(this.credentials)) await putCredentials(this.db.pool, cipher, this.connectionId, side, secret as Record<string, unknown>);
    this.worker = await startProductWorker({ pool: this.db.pool, taskQueue: this.taskQueue, masterKey: this.masterKey });
  }

  /** Starts the connection's workflow and waits for its first poll to finish. */
  async startSync(): Promise<number> {
    const began = Date.now();
    const connection = (await getConnection(this.db.pool, this.connectionId))!;
    this.handle = await this.client.workflow.start(pairOf(PAIR).workflowType, syncStartOptions(syncInputFor(connection), this.taskQueue));
    await eventually(async () => (await this.status()).totals.polls >= 1 && (await this.status()).state === 'idle', 240_000, 'first poll');
    return (Date.now() - began) / 1000;
  }

  status(): Promise<SyncStatus> {
    return this.handle.query(statusQuery);
  }

  /** One asked-for poll, to its end. */
  async poll(): Promise<{ status: SyncStatus; seconds: number }> {
    const began = Date.now();
    const before = (await this.status()).totals.polls;
    await this.handle.signal('pollNow');
    const s = await eventually(async () => {
      const now = await this.status();
      return now.totals.polls > before && now.state === 'idle' && now;
    }, 240_000, 'a finished poll');
    return { status: s, seconds: (Date.now() - began) / 1000 };
  }

  jaggaerRecords(resource: SimResource): Promise<Record<string, unknown>[]> {
    return this.jaggaer.admin.records(resource);
  }
  psRows(table: 'purchaseOrder' | 'voucher' | 'vendor' | 'requisition'): Promise<Row[]> {
    return this.psAdmin.rows(table);
  }
  async openDeadLetters() {
    return (await listDeadLetters(this.db.pool, { connectionId: this.connectionId })).filter((d) => d.status === 'open');
  }
  async waiting(flow: string): Promise<{ record_key: string; missing_key: string; reason: string }[]> {
    const r = await this.db.pool.query<{ record_key: string; missing_key: string; reason: string }>(
      'SELECT record_key, missing_key, reason FROM waiting_records WHERE connection_id = $1 AND flow = $2 ORDER BY record_key',
      [this.connectionId, flow],
    );
    return r.rows;
  }

  async tearDown(): Promise<void> {
    await this.handle?.terminate('test finished').catch(() => undefined);
    await this.worker?.stop();
    await this.jaggaer?.close();
    await this.ps?.close();
    await this.client?.connection.close();
    await this.db?.drop();
  }
}
