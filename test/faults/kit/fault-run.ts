import { type WorkflowHandle } from '@temporalio/client';
import { replayDeadLettersUpdate, statusQuery } from '../../../core/sync-messages';
import { syncStartOptions } from '../../../core/sync-start';
import { type SyncStatus } from '../../../core/sync-types';
import { getConnection } from '../../../db/connections';
import { pairOf, syncInputFor } from '../../../pairs/derive';
import { startProductWorker } from '../../pairs/pair-harness';
import { uniqueTaskQueue } from '../../support/temporal';
import { eventually, type WorkerProcess } from '../../support/worker-process';
import { compareState, type StateComparison } from './compare-state';
import { type FaultWorld, type FixtureDeps, type FixtureOptions, type PairFaultFixture, type RecordState } from './fault-fixture';

/** What the suite reads back after a scenario, beside the partner's state. */
export interface FinalState {
  expected: RecordState[];
  comparison: StateComparison;
  /** Open dead letters by record key, with the partner's raw answer. */
  deadLetters: Map<string, { errorCode: string | null; partnerStatus: number | null; rawResponse: string | null }>;
  /** Synced records without an ok create/link/update audit row, and dead-lettered ones without a dead_letter row. */
  auditGaps: string[];
}

/**
 * The engine side of one scenario on one pair: the product worker in its own process (SIGKILL-able), the pair's
 * workflow, its status, dead letters, record links and audit rows. Pair specifics come from the fixture's world.
 */
export class FaultRun {
  readonly taskQueue = uniqueTaskQueue('faults');
  world!: FaultWorld;
  worker?: WorkerProcess;
  readonly extraWorkers: WorkerProcess[] = [];
  handle?: WorkflowHandle;
  kills = 0;
  /** The worker's log level; R8 reads info-level logs. */
  logLevel = 'warn';
  /** Everything every worker process of this run wrote (restarted ones included). */
  readonly workerOutput: string[][] = [];
  /**
   * Shorter recovery waits for this run (R1): the workflow's activity heartbeat timeout and every worker's partner
   * call timeout, which together bound how long a new attempt waits out a killed one (activities/write-fence.ts).
   */
  recovery?: { heartbeatTimeout: string; callTimeoutMs: number };

  constructor(
    readonly fixture: PairFaultFixture,
    readonly deps: FixtureDeps,
  ) {}

  async open(records: number, opts: Omit<FixtureOptions, 'records'> = {}): Promise<FaultWorld> {
    this.world = await this.fixture.open(this.deps, { records, ...opts });
    return this.world;
  }

  get connectionId(): string {
    return this.world.connectionId;
  }

  private workerEnv(): Record<string, string> {
    return this.recovery ? { MLC_PARTNER_CALL_TIMEOUT_MS: String(this.recovery.callTimeoutMs) } : {};
  }

  async startWorker(): Promise<void> {
    this.worker = await startProductWorker({ pool: this.deps.pool, taskQueue: this.taskQueue, masterKey: this.deps.masterKey, logLevel: this.logLevel, env: this.workerEnv() });
    this.workerOutput.push(this.worker.output);
  }

  /** Another worker process on the same task queue (R10: two workers refreshing one connection's token at once). */
  async startExtraWorker(): Promise<void> {
    const extra = await startProductWorker({ pool: this.deps.pool, taskQueue: this.taskQueue, masterKey: this.deps.masterKey, logLevel: this.logLevel, env: this.workerEnv() });
    this.extraWorkers.push(extra);
    this.workerOutput.push(extra.output);
  }

  /** SIGKILL (no shutdown hook runs, in-flight writes are abandoned), then a fresh worker process. */
  async killAndRestartWorker(): Promise<void> {
    await this.worker!.kill();
    this.kills += 1;
    await this.startWorker();
  }

  async startWorkflow(): Promise<void> {
    const connection = (await getConnection(this.deps.pool, this.connectionId))!;
    const input = { ...syncInputFor(connection), ...(this.recovery ? { activityHeartbeatTimeout: this.recovery.heartbeatTimeout } : {}) };
    this.handle = await this.deps.client.workflow.start(pairOf(this.fixture.pairId).workflowType, syncStartOptions(input, this.taskQueue));
  }

  status(): Promise<SyncStatus> {
    return this.handle!.query(statusQuery);
  }

  /** Records written and linked so far (the progress kill points are chosen on). */
  async linkedCount(): Promise<number> {
    const { rows } = await this.deps.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM record_links WHERE connection_id = $1 AND state = 'linked'`, [this.connectionId]);
    return rows[0]!.n;
  }

  async openDeadLetterCount(): Promise<number> {
    const { rows } = await this.deps.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM dead_letters WHERE connection_id = $1 AND status = 'open'`, [this.connectionId]);
    return rows[0]!.n;
  }

  /** Waits until the first poll has finished and every expected record is linked or dead-lettered. */
  async settle(expectedRecords: number, timeoutMs: number): Promise<void> {
    await eventually(
      async () => {
        const s = await this.status();
        if (s.totals.polls < 1 || s.state !== 'idle') return false;
        return (await this.linkedCount()) + (await this.openDeadLetterCount()) >= expectedRecords;
      },
      timeoutMs,
      `every one of ${expectedRecords} records of ${this.fixture.pairId} linked or dead-lettered`,
    );
  }

  /** replayDeadLetters with no filter (replay-all), as `mlc connections replay --all` sends it. */
  async replayAll(): Promise<{ attempted: number; resolved: number; stillFailing: number }> {
    return this.handle!.executeUpdate(replayDeadLettersUpdate, { args: [{}] });
  }

  async finalState(): Promise<FinalState> {
    const [expected, actual] = [await this.world.expected(), await this.world.actual()];
    const expectedKeys = expected.map((e) => e.key);
    const letters = await this.deps.pool.query<{ record_key: string; error_code: string | null; partner_status: number | null; raw_response: string | null }>(
      `SELECT record_key, error_code, partner_status, raw_response FROM dead_letters WHERE connection_id = $1 AND status = 'open'`,
      [this.connectionId],
    );
    const deadLetters = new Map(letters.rows.map((r) => [r.record_key, { errorCode: r.error_code, partnerStatus: r.partner_status, rawResponse: r.raw_response }]));
    const links = await this.deps.pool.query<{ source_key: string; target_id: string }>(
      `SELECT source_key, target_id FROM record_links WHERE connection_id = $1 AND state = 'linked' AND source_key = ANY($2)`,
      [this.connectionId, expectedKeys],
    );
    const linkMap = new Map(links.rows.map((r) => [r.source_key, r.target_id]));
    const comparison = compareState(expected, actual, new Set(deadLetters.keys()), linkMap);
    const audit = await this.deps.pool.query<{ record_key: string; action: string }>(
      `SELECT DISTINCT record_key, action FROM audit_events WHERE connection_id = $1 AND record_key = ANY($2)
         AND ((action IN ('create', 'link', 'update') AND outcome IN ('ok', 'already_applied')) OR action = 'dead_letter')`,
      [this.connectionId, expectedKeys],
    );
    const written = new Set(audit.rows.filter((r) => r.action !== 'dead_letter').map((r) => r.record_key));
    const dead = new Set(audit.rows.filter((r) => r.action === 'dead_letter').map((r) => r.record_key));
    const auditGaps = [
      ...[...linkMap.keys()].filter((k) => !written.has(k)).map((k) => `${k}: synced without a create/link audit row`),
      ...[...deadLetters.keys()].filter((k) => !dead.has(k)).map((k) => `${k}: dead-lettered without a dead_letter audit row`),
    ];
    return { expected, comparison, deadLetters, auditGaps };
  }

  async close(): Promise<void> {
    await this.handle?.terminate('fault scenario finished').catch(() => undefined);
    await this.worker?.stop().catch(() => undefined);
    for (const w of this.extraWorkers) await w.stop().catch(() => undefined);
    await this.world?.close();
  }
}
