import { randomBytes, randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { insertConnection } from '../db/connections';
import { CredentialCipher } from '../db/credential-cipher';
import { createLogger } from '../core/logger';
import { createTestDatabase, type TestDatabase } from '../test/support/database';
import { noWorkerTelemetry, type WorkerTelemetry } from './deps';
import { type FlowRuntime } from './flows/types';
import { createPollFlows, IDLE_POLL } from './poll-flows';

/** A source with nothing changed: every poll of it is idle. */
const emptyFlow = (): FlowRuntime => ({
  sourceSystem: 'test',
  targetSystem: 'test',
  direction: 'test->test',
  fetchWindow: () => Promise.resolve([]),
  map: (r) => r,
  create: () => Promise.reject(new Error('nothing to create')),
  update: () => Promise.reject(new Error('nothing to update')),
  findExisting: () => Promise.resolve(undefined),
});

describe('pollFlows reports poll lag to the worker metrics', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('poll-flows');
  });
  afterAll(async () => {
    await db.drop();
  });

  it('observes how late a scheduled poll started, by pair, and nothing for an asked-for poll', async () => {
    const connectionId = randomUUID();
    await insertConnection(db.pool, { id: connectionId, customerId: 'acme', pair: 'lag-test', config: {} });
    const lags: Array<{ pair: string; seconds: number }> = [];
    const telemetry: WorkerTelemetry = { ...noWorkerTelemetry, observePollLag: (pair, seconds) => void lags.push({ pair, seconds }) };
    const pollFlows = createPollFlows({
      pool: db.pool,
      logger: createLogger('silent'),
      cipher: new CredentialCipher(`k1:${randomBytes(32).toString('base64')}`),
      registry: { flows: { 'lag-test': { empty: emptyFlow } }, inbox: {} },
      telemetry,
    });
    const due = Date.now() - 3_000;
    const request = (report: boolean) => ({
      connectionId,
      pair: 'lag-test',
      workflowId: 'wf',
      runId: randomUUID(),
      schedule: '@every 3600s',
      notBefore: new Date(due).toISOString(),
      report,
      flows: [{ flow: 'empty', from: new Date(due - 60_000).toISOString(), overlapMs: 0, maxWindowMs: 86_400_000 }],
    });
    const env = () => new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') });

    // Idle: the attempt fails benignly, timed for the next poll, after observing its lag.
    const idle = await env().run(pollFlows, request(false)).catch((e: unknown) => e);
    expect(idle).toBeInstanceOf(ApplicationFailure);
    expect((idle as ApplicationFailure).type).toBe(IDLE_POLL);
    expect(lags).toHaveLength(1);
    expect(lags[0]!.pair).toBe('lag-test');
    expect(lags[0]!.seconds).toBeGreaterThanOrEqual(3);

    await env().run(pollFlows, request(true));
    expect(lags).toHaveLength(1);
  });
});
