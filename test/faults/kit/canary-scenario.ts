import { PayloadEncryptionCodec } from '../../../runtime/payload-codec';
import { decryptedPayloadHaystacks, findSecrets, historyHaystacks, type Haystack } from '../../api/secret-search';
import { type FixtureDeps, type PairFaultFixture } from './fault-fixture';
import { FaultRun } from './fault-run';
import { type ScenarioResult } from './result-table';
import { type ScenarioSize } from './scenarios';

/**
 * R8: a full first sync (with 2% of the records refused, so error paths log and dead-letter too) under credentials
 * that are unique canaries, then every place a secret could leak to is searched for them, plain, base64 and
 * JSON-escaped (test/api/secret-search.ts): the worker's info-level logs, every run's Temporal history raw and with
 * its payloads decrypted, and every row of every table (dead-letter messages and raw answers, audit error bodies,
 * config); credentials must be there as ciphertext only. API responses are test/api/secret-canary.test.ts's part.
 */
export async function canaryCredentials(fixture: PairFaultFixture, deps: FixtureDeps, size: ScenarioSize & { share: number }): Promise<ScenarioResult> {
  const run = new FaultRun(fixture, deps);
  run.logLevel = 'info';
  try {
    const world = await run.open(size.records);
    await world.breakRecords(size.share);
    const total = (await world.expected()).length;
    await run.startWorker();
    await run.startWorkflow();
    await run.settle(total, size.settleMs);
    const final = await run.finalState();

    const places: Haystack[] = run.workerOutput.map((lines, i) => ({ where: `worker ${i + 1} output`, content: lines.join('\n') }));
    const codec = new PayloadEncryptionCodec(deps.masterKey);
    let runId: string | undefined = (await run.handle!.describe()).runId;
    let histories = 0;
    let decrypted = 0;
    while (runId) {
      const history = await deps.client.workflow.getHandle(run.handle!.workflowId, runId).fetchHistory();
      histories += 1;
      places.push(...historyHaystacks(`history ${runId}`, history));
      const opened = await decryptedPayloadHaystacks(`history ${runId}`, history, codec);
      decrypted += opened.length / 2;
      places.push(...opened);
      runId = history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
    }
    const tables = await deps.pool.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`);
    for (const { table_name } of tables.rows) {
      const dump = await deps.pool.query<{ row: string }>(`SELECT t::text AS row FROM "${table_name}" t`);
      places.push({ where: `table ${table_name}`, content: dump.rows.map((r) => r.row).join('\n') });
    }
    const sealed = await deps.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM connection_credentials WHERE connection_id = $1`, [run.connectionId]);

    const failures = findSecrets(places, world.secrets).map((hit) => `secret found in ${hit}`);
    const logLines = run.workerOutput.reduce((n, o) => n + o.length, 0);
    // The search must have had something to search: logs, decrypted payloads, an error path, stored credentials.
    if (logLines < 5) failures.push(`only ${logLines} worker log lines: nothing to search`);
    if (decrypted < 5) failures.push(`only ${decrypted} decrypted payloads: histories were not searched as plaintext`);
    if (final.deadLetters.size === 0) failures.push('no dead letter: the error path was not exercised');
    if (sealed.rows[0]!.n < 2) failures.push(`${sealed.rows[0]!.n} credential rows for the connection: expected its sides stored encrypted`);
    return {
      scenario: 'R8 canary credentials',
      pair: fixture.pairId,
      runs: 1,
      recordsChecked: final.comparison.checked,
      duplicates: final.comparison.duplicates.length,
      missing: final.comparison.missing.length,
      partner5xx: 0,
      pass: failures.length === 0,
      notes: [`${Object.keys(world.secrets).length} secrets searched in ${logLines} log lines, ${histories} histories (${decrypted} payloads decrypted), ${tables.rows.length} tables; ${final.deadLetters.size} dead letters`],
      failures,
    };
  } finally {
    await run.close();
  }
}
