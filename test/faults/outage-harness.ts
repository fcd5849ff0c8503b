import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { statusQuery } from '../../core/sync-messages';
import { syncStartOptions } from '../../core/sync-start';
import { type FlowSettings, type SyncInput } from '../../core/sync-types';
import { insertConnection } from '../../db/connections';
import { encryptedDataConverter } from '../../runtime/payload-codec';
import { startTemporalDevServer, type TemporalDevServer } from '../../runtime/temporal-dev-server';
import { engineBundle, FLOW } from '../engine/engine-harness';
import { TestPartner } from '../fixtures/test-partner';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { testMasterKey, testServices } from '../support/env';
import { uniqueTaskQueue } from '../support/temporal';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process';

const ROOT = path.resolve(__dirname, '..', '..');
const TEST_DATA_DIR = path.join(ROOT, '.data', 'test');

/** One line of the worker's JSON log about the connection's lease (activities/write-fence.ts). */
export interface LeaseLogLine {
  event: 'lease-overlap' | 'lease-lost';
  time: number;
  fence: number;
  activityId: string;
  attempt: number;
  previous?: { activityId: string; attempt: number };
  waitMs?: number;
  reason?: string;
  refusedWrites?: number;
  blockedSends?: number;
}

/**
 * A world whose Temporal server the scenario owns: a dedicated dev server on a SQLite file (so it can be killed and
 * restarted without losing the runs), the run's PostgreSQL, one engine worker process with
 * the test partner's flow, and one connection of the engine test pair.
 */
export class OutageWorld {
  readonly partner = new TestPartner();
  readonly connectionId = randomUUID();
  readonly taskQueue = uniqueTaskQueue('faults');
  db!: TestDatabase;
  client!: Client;
  temporal!: TemporalDevServer;
  worker!: WorkerProcess;
  private readonly dir = path.join(TEST_DATA_DIR, `faults-${process.pid}-${randomUUID().slice(0, 8)}`);

  async start(flow: Omit<FlowSettings, 'flow' | 'enabled'>): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    this.db = await createTestDatabase('faults');
    await this.startTemporal(0);
    const connection = await Connection.connect({ address: this.temporal.address });
    this.client = new Client({ connection, namespace: this.temporal.namespace, dataConverter: encryptedDataConverter(testMasterKey()) });
    const partnerUrl = await this.partner.start();
    await insertConnection(this.db.pool, { id: this.connectionId, customerId: 'acme', pair: 'engine-test', config: { partnerUrl } });
    this.worker = await startWorkerProcess(path.join(ROOT, 'test', 'fixtures', 'engine-worker.ts'), {
      TEST_TEMPORAL_ADDRESS: this.temporal.address,
      TEST_NAMESPACE: this.temporal.namespace,
      TEST_TASK_QUEUE: this.taskQueue,
      TEST_DATABASE_URL: this.db.url,
      TEST_MASTER_KEY: testMasterKey(),
      TEST_WORKFLOW_BUNDLE: await engineBundle(),
      TEST_LOG_LEVEL: 'warn',
    });
    const input: SyncInput = { connectionId: this.connectionId, customerId: 'acme', pair: 'engine-test', schedule: '@every 1h', flows: [{ flow: FLOW, enabled: true, ...flow }] };
    await this.client.workflow.start('engineTestSync', syncStartOptions(input, this.taskQueue));
  }

  /** Temporal gone for everyone: the server process is killed (-9) and its state stays in the SQLite file. */
  async crashTemporal(): Promise<void> {
    process.kill(-this.temporal.pid, 'SIGKILL');
    await this.temporal.exited;
    // Releases the lock on the SQLite file, so the same file can be opened again.
    await this.temporal.stop();
  }

  /** The same server again: same port, same SQLite file; open runs and activity timers carry on from there. */
  async restartTemporal(): Promise<void> {
    await this.startTemporal(Number(this.temporal.address.split(':').pop()));
  }

  private async startTemporal(port: number): Promise<void> {
    this.temporal = await startTemporalDevServer({
      cli: { path: testServices().temporalCli, source: 'env' },
      log: () => undefined,
      overrides: { port, headless: true, dbFile: path.join(this.dir, 'temporal.db') },
    });
  }

  status() {
    return this.client.workflow.getHandle(`connection/${this.connectionId}`).query(statusQuery);
  }

  async fence(): Promise<number> {
    const { rows } = await this.db.pool.query<{ fence: string }>('SELECT fence FROM connection_leases WHERE connection_id = $1', [this.connectionId]);
    return Number(rows[0]?.fence ?? 0);
  }

  async linkedKeys(): Promise<Set<string>> {
    const { rows } = await this.db.pool.query<{ source_key: string }>(`SELECT source_key FROM record_links WHERE connection_id = $1 AND state = 'linked'`, [this.connectionId]);
    return new Set(rows.map((r) => r.source_key));
  }

  /** Audit rows of creates recovered by their external key (an intent left by an earlier attempt), with their time. */
  async recoveredLinks(): Promise<Array<{ record_key: string; at: number }>> {
    const { rows } = await this.db.pool.query<{ record_key: string; created_at: Date }>(
      `SELECT record_key, created_at FROM audit_events WHERE connection_id = $1 AND action = 'link' ORDER BY id`,
      [this.connectionId],
    );
    return rows.map((r) => ({ record_key: r.record_key, at: r.created_at.getTime() }));
  }

  leaseLog(): LeaseLogLine[] {
    const lines: LeaseLogLine[] = [];
    for (const line of this.worker.output) {
      if (!line.includes('"lease-')) continue;
      try {
        const parsed = JSON.parse(line) as Partial<LeaseLogLine> & { connectionId?: string };
        if (parsed.connectionId === this.connectionId && (parsed.event === 'lease-overlap' || parsed.event === 'lease-lost')) lines.push(parsed as LeaseLogLine);
      } catch {
        // Not a JSON log line.
      }
    }
    return lines;
  }

  async stop(): Promise<void> {
    await this.client?.workflow
      .getHandle(`connection/${this.connectionId}`)
      .terminate('fault scenario finished')
      .catch(() => undefined);
    await this.worker?.stop();
    await this.client?.connection.close();
    await this.temporal?.stop();
    await this.partner.stop();
    await this.db?.drop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
