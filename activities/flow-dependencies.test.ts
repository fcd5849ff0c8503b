import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../test/support/database';
import { applyRecords } from './apply-records';
import { withWaitingRecords } from './flow-dependencies';
import { MissingReferenceError, type FlowRuntime, type SourceRecord } from './flows/types';

/**
 * A flow whose target refuses records that point at an account it does not know: the adapter says so with
 * MissingReferenceError from `create` (no `references` hook), as an adapter does when only the partner can tell.
 */
function accountsTarget(known: Set<string>): FlowRuntime<{ account: string }> & { created: string[] } {
  const created: string[] = [];
  return {
    created,
    sourceSystem: 'src',
    targetSystem: 'dst',
    direction: 'src->dst',
    fetchWindow: async () => [],
    map: (record) => ({ account: (record.data as { account: string }).account }),
    async create(payload, record) {
      if (!known.has(payload.account)) throw new MissingReferenceError(`account:${payload.account}`, 'the target answered 422: unknown account');
      created.push(record.key);
      return { targetId: `T-${record.key}` };
    },
    update: async () => undefined,
    findExisting: async () => undefined,
  };
}

describe('records waiting for a reference (real PostgreSQL)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('waiting');
  });
  afterAll(async () => {
    await db.drop();
  });

  it('keeps a record the adapter reports as missing a reference waiting, retries it from the waiting table, then writes it', async () => {
    const connectionId = randomUUID();
    const known = new Set(['4000']);
    const runtime = accountsTarget(known);
    const records: SourceRecord[] = [
      { key: 'line-1', updatedAt: '2026-11-01T00:00:00Z', data: { account: '4000' } },
      { key: 'line-2', updatedAt: '2026-11-01T00:00:01Z', data: { account: '5100' } },
    ];
    const first = await applyRecords(db.pool, runtime, records, { connectionId, flow: 'lines' });
    expect(first).toMatchObject({ created: 1, waiting: 1, waitingAdded: 1, deadLettered: 0 });
    const { rows } = await db.pool.query(`SELECT record_key, missing_key, reason FROM waiting_records WHERE connection_id = $1`, [connectionId]);
    expect(rows).toEqual([{ record_key: 'line-2', missing_key: 'account:5100', reason: 'the target answered 422: unknown account' }]);

    // A later poll whose window no longer holds line-2 still retries it, from its stored copy.
    known.add('5100');
    const retry = await withWaitingRecords(db.pool, connectionId, 'lines', [], true);
    expect(retry.records.map((r) => r.key)).toEqual(['line-2']);
    const second = await applyRecords(db.pool, runtime, retry.records, { connectionId, flow: 'lines', waitingKeys: retry.waitingKeys });
    expect(second).toMatchObject({ created: 1, waiting: 0 });
    expect(runtime.created).toEqual(['line-1', 'line-2']);
    expect((await db.pool.query(`SELECT 1 FROM waiting_records WHERE connection_id = $1`, [connectionId])).rowCount).toBe(0);
  });

  it('dead-letters a record that waited longer than its flow allows, naming the missing reference', async () => {
    const connectionId = randomUUID();
    const runtime = accountsTarget(new Set());
    const record: SourceRecord = { key: 'line-9', updatedAt: '2026-11-01T00:00:00Z', data: { account: '9999' } };
    expect(await applyRecords(db.pool, runtime, [record], { connectionId, flow: 'lines', waitForReferenceMs: 60_000 })).toMatchObject({ waiting: 1 });
    // Still within the wait: the second sighting keeps it waiting and does not count it as new.
    expect(await applyRecords(db.pool, runtime, [record], { connectionId, flow: 'lines', waitForReferenceMs: 60_000 })).toMatchObject({ waiting: 1, waitingAdded: 0 });
    expect(await applyRecords(db.pool, runtime, [record], { connectionId, flow: 'lines', waitForReferenceMs: 0 })).toMatchObject({ waiting: 0, deadLettered: 1, failedKeys: ['line-9'] });
    const letters = await db.pool.query(`SELECT error_code, error_message, source_record FROM dead_letters WHERE connection_id = $1`, [connectionId]);
    expect(letters.rows).toEqual([{ error_code: 'MISSING_REFERENCE', error_message: expect.stringMatching(/^missing reference account:9999 \(the target answered 422: unknown account\): waited since /), source_record: record }]);
    expect((await db.pool.query(`SELECT 1 FROM waiting_records WHERE connection_id = $1`, [connectionId])).rowCount).toBe(0);
  });
});
