import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { type Client } from '@temporalio/client';
import { statusQuery } from '../../core/sync-messages';
import { syncStartOptions } from '../../core/sync-start';
import { type FlowSettings, type SyncInput } from '../../core/sync-types';
import { insertConnection } from '../../db/connections';
import { engineBundle, FLOW } from '../engine/engine-harness';
import { TestPartner } from '../fixtures/test-partner';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { testMasterKey } from '../support/env';
import { uniqueTaskQueue } from '../support/temporal';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process';
import { OwnTemporal } from './kit/own-temporal';

const ROOT = path.resolve(__dirname, '..', '..');

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
  readonly temporal = new OwnTemporal();
  db!: TestDatabase;
  worker!: WorkerProcess;

  get client(): Client {
    return this.temporal.client;
  }

  async start(flow: Omit<FlowSettings, 'flow' | 'enabled'>): Promise<void> {
    this.db = await createTestDatabase('faults');
    await this.temporal.start();
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
  crashTemporal(): Promise<void> {
    return this.temporal.crash();
  }

  /** The same server again: same port, same SQLite file; open runs and activity timers carry on from there. */
  restartTemporal(): Promise<void> {
    return this.temporal.restart();
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
    await this.temporal.stop();
    await this.partner.stop();
    await this.db?.drop();
  }
}
