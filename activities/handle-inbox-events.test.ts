import { randomBytes, randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { PartnerError } from '../core/partner-error';
import { type InboxEvent } from '../core/sync-types';
import { insertConnection } from '../db/connections';
import { CredentialCipher } from '../db/credential-cipher';
import { createLogger } from '../core/logger';
import { createTestDatabase, type TestDatabase } from '../test/support/database';
import { noWorkerTelemetry } from './deps';
import { type InboxRuntime } from './flows/types';
import { createHandleInboxEvents } from './handle-inbox-events';

const PAIR = 'inbox-test';

/** Resolves when `open()` is called: lets a test hold one event's handler until another has reached a given point. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/**
 * The test's partner on the return path: each resource's handler is a script, and every start and end is logged so a
 * test can read the order in which the activity ran them.
 */
class ScriptedInbox implements InboxRuntime {
  readonly log: string[] = [];
  scripts = new Map<string, (eventId: string) => Promise<void>>();

  async handle(event: { kind: string; resourceId: string; eventId: string }) {
    this.log.push(`start ${event.eventId}`);
    await this.scripts.get(event.resourceId)?.(event.eventId);
    this.log.push(`end ${event.eventId}`);
    return { outcome: 'applied' as const, recordKey: `task:${event.resourceId}`, targetId: event.resourceId, flow: 'inbox-test', direction: 'test->test' };
  }

  started(eventId: string): boolean {
    return this.log.includes(`start ${eventId}`);
  }
}

const partnerError = (retry: boolean) =>
  new PartnerError(`test partner: HTTP ${retry ? 503 : 422}`, {
    partner: 'test-partner',
    operation: 'apply',
    status: retry ? 503 : 422,
    rawBody: retry ? 'try later' : 'refused',
    decision: retry ? { retry: true, reason: 'unavailable' } : { retry: false, reason: 'refused' },
    code: retry ? 'TEST_UNAVAILABLE' : 'TEST_REFUSED',
  });

describe('handleInboxEvents on PostgreSQL', () => {
  let db: TestDatabase;
  let inbox: ScriptedInbox;
  let connectionId: string;
  const event = (eventId: string, resourceId: string): InboxEvent => ({ eventId, partner: 'test', kind: 'task.completed', resourceId, receivedAt: new Date().toISOString() });
  // The failures these tests provoke are expected; the SDK would log each one.
  const quietEnv = () => new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') });
  const run = (events: InboxEvent[], env = quietEnv()) => {
    const handleInboxEvents = createHandleInboxEvents({
      pool: db.pool,
      logger: createLogger('silent'),
      cipher: new CredentialCipher(`k1:${randomBytes(32).toString('base64')}`),
      registry: { flows: {}, inbox: { [PAIR]: () => inbox } },
      telemetry: noWorkerTelemetry,
    });
    return env.run(handleInboxEvents, { connectionId, events, workflowId: 'wf', runId: 'run' });
  };
  const seenIds = async () =>
    (await db.pool.query<{ event_id: string }>('SELECT event_id FROM webhook_events_seen WHERE connection_id = $1 ORDER BY event_id', [connectionId])).rows.map((r) => r.event_id);

  beforeAll(async () => {
    db = await createTestDatabase('inbox');
  });
  afterAll(async () => {
    await db.drop();
  });
  beforeEach(async () => {
    inbox = new ScriptedInbox();
    connectionId = randomUUID();
    await insertConnection(db.pool, { id: connectionId, customerId: 'acme', pair: PAIR, config: {} });
  });

  it('applies events of one task in arrival order while other tasks run alongside, and a duplicate event once', async () => {
    const otherTaskStarted = gate();
    inbox.scripts.set('A', async (eventId) => {
      // a1 finishes only once task B's event has started: a batch handled one event at a time never gets there.
      if (eventId === 'a1') await otherTaskStarted.opened;
    });
    inbox.scripts.set('B', async () => otherTaskStarted.open());
    inbox.scripts.set('C', async () => {
      throw partnerError(false);
    });

    const summary = await run([event('a1', 'A'), event('b1', 'B'), event('a2', 'A'), event('c1', 'C'), event('a1', 'A')]);

    expect(summary).toEqual({ applied: 3, alreadyApplied: 1, ignored: 0, deadLettered: 1 });
    expect(inbox.log.filter((l) => l.endsWith('a1') || l.endsWith('a2'))).toEqual(['start a1', 'end a1', 'start a2', 'end a2']);
    expect(inbox.log.indexOf('start b1')).toBeLessThan(inbox.log.indexOf('end a1'));
    expect(await seenIds()).toEqual(['a1', 'a2', 'b1', 'c1']);
    const letters = await db.pool.query('SELECT record_key, error_code FROM dead_letters WHERE connection_id = $1', [connectionId]);
    expect(letters.rows).toEqual([{ record_key: 'test:C', error_code: 'TEST_REFUSED' }]);
    const audit = await db.pool.query<{ action: string; n: number }>(
      'SELECT action, count(*)::int AS n FROM audit_events WHERE connection_id = $1 GROUP BY action ORDER BY action',
      [connectionId],
    );
    expect(audit.rows).toEqual([
      { action: 'apply', n: 3 },
      { action: 'dead_letter', n: 1 },
    ]);

    // The same batch again (Asana redelivers, or the activity is retried after a crash): nothing is applied twice.
    inbox.log.length = 0;
    expect(await run([event('a1', 'A'), event('b1', 'B'), event('a2', 'A'), event('c1', 'C')])).toEqual({ applied: 0, alreadyApplied: 4, ignored: 0, deadLettered: 0 });
    expect(inbox.log).toEqual([]);
  });

  it('after a transient error starts no other event, waits for the running ones, and marks only finished ones seen', async () => {
    const b1Started = gate();
    const a1Failed = gate();
    let startedAfterFailure: string[] = [];
    let failed = false;
    inbox.scripts.set('A', async () => {
      await b1Started.opened;
      failed = true;
      a1Failed.open();
      throw partnerError(true);
    });
    inbox.scripts.set('B', async (eventId) => {
      if (failed) startedAfterFailure = [...startedAfterFailure, eventId];
      if (eventId !== 'b1') return;
      b1Started.open();
      await a1Failed.opened;
    });

    await expect(run([event('a1', 'A'), event('b1', 'B'), event('b2', 'B'), event('a2', 'A')])).rejects.toMatchObject({ type: 'PartnerTransientError' });

    // b1 was running when a1 failed: the activity waited for it (its seen mark is there) and started nothing after.
    expect(inbox.log).toContain('end b1');
    expect(startedAfterFailure).toEqual([]);
    expect(inbox.started('b2') || inbox.started('a2')).toBe(false);
    expect(await seenIds()).toEqual(['b1']);

    // The retry applies what is left, once.
    inbox.scripts.clear();
    inbox.log.length = 0;
    expect(await run([event('a1', 'A'), event('b1', 'B'), event('b2', 'B'), event('a2', 'A')])).toEqual({ applied: 3, alreadyApplied: 1, ignored: 0, deadLettered: 0 });
    expect(inbox.log.filter((l) => l.startsWith('start')).sort()).toEqual(['start a1', 'start a2', 'start b2']);
  });

  it('starts no event after the activity is cancelled', async () => {
    const a1Running = gate();
    const release = gate();
    inbox.scripts.set('A', async (eventId) => {
      if (eventId !== 'a1') return;
      a1Running.open();
      await release.opened;
    });
    const env = quietEnv();
    const result = run([event('a1', 'A'), event('a2', 'A'), event('b1', 'B')], env);
    await a1Running.opened;
    // b1 has its own lane and may already be done; a2 waits for a1 in task A's lane.
    env.cancel();
    release.open();

    await expect(result).rejects.toBeDefined();
    expect(inbox.log).toContain('end a1');
    expect(inbox.started('a2')).toBe(false);
    expect(await seenIds()).not.toContain('a2');
  });
});
