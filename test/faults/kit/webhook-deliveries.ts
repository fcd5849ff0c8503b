import { randomUUID } from 'node:crypto';
import { type Client } from '@temporalio/client';
import { createApp } from '../../../api/app';
import { listen, type Listening } from '../../../core/listen';
import { createLogger } from '../../../core/logger';
import { syncWorkflowId } from '../../../core/sync-messages';
import { insertConnection, putCredentials } from '../../../db/connections';
import { CredentialCipher } from '../../../db/credential-cipher';
import { type Db } from '../../../db/pool';
import { pairs } from '../../../pairs';
import { type PairDefinition, type WebhookReceiver } from '../../../pairs/types';
import { type RunningSimulator } from '../../../simulators/kit/types';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { startDemoSimulators } from '../../support/demo-simulators';
import { testMasterKey } from '../../support/env';
import { testClient, uniqueTaskQueue } from '../../support/temporal';
import { scenarioTest } from './scenario-test';
import { type ScenarioResult } from './result-table';

interface Delivery {
  name: string;
  url: string;
  headers: Record<string, string>;
  body: Buffer | string;
  /** 'refused': any 4xx; 'duplicate': a 2xx that adds no signal. */
  expect: 'refused' | 'duplicate';
}

const bytesOf = (size: string) => {
  const m = /^(\d+)(kb|mb)$/i.exec(size);
  return m ? Number(m[1]) * (m[2]!.toLowerCase() === 'kb' ? 1024 : 1024 * 1024) : 1024 * 1024;
};
/** Headers that prove a delivery is the partner's: a body signature, or (Procore, which signs nothing) the Authorization value. */
const isProof = (header: string) => /signature|authorization/i.test(header);
const flipLast = (value: string) => `${value.slice(0, -1)}${value.endsWith('0') ? '1' : '0'}`;

/**
 * The bad deliveries of one round at one receiver: what every receiver must refuse, built from the receiver's own
 * genuine sample (signedSample) so that only the broken part differs. `altered body` only where the partner signs the
 * body: Procore signs nothing (https://developers.procore.com/documentation/webhooks), its proof is the header alone.
 */
function badDeliveries(url: string, strangerUrl: string, sample: { headers: Record<string, string>; body: Buffer }, foreign: { headers: Record<string, string> }, receiver: WebhookReceiver, oversized: boolean): Delivery[] {
  const proofs = Object.keys(sample.headers).filter(isProof);
  const unsigned = Object.fromEntries(Object.entries(sample.headers).filter(([h]) => !isProof(h)));
  const wrong = { ...sample.headers, ...Object.fromEntries(proofs.map((h) => [h, flipLast(sample.headers[h]!)])) };
  const text = sample.body.toString('utf8');
  const out: Delivery[] = [
    { name: 'unsigned', url, headers: unsigned, body: sample.body, expect: 'refused' },
    { name: 'wrong signature', url, headers: wrong, body: sample.body, expect: 'refused' },
    { name: "another connection's signature", url, headers: { ...unsigned, ...Object.fromEntries(Object.entries(foreign.headers).filter(([h]) => isProof(h))) }, body: sample.body, expect: 'refused' },
    { name: 'malformed JSON', url, headers: sample.headers, body: text.slice(0, Math.max(1, Math.floor(text.length / 2))), expect: 'refused' },
    { name: 'wrong content type, unsigned', url, headers: { ...unsigned, 'content-type': 'text/plain' }, body: sample.body, expect: 'refused' },
    { name: 'form encoded, unsigned', url, headers: { ...unsigned, 'content-type': 'application/x-www-form-urlencoded' }, body: 'events=1', expect: 'refused' },
    { name: 'handshake by a stranger', url, headers: { 'content-type': 'application/json', 'x-hook-secret': `stranger-${randomUUID()}` }, body: '', expect: 'refused' },
    { name: 'unknown connection', url: strangerUrl, headers: sample.headers, body: sample.body, expect: 'refused' },
    { name: 'replayed genuine delivery', url, headers: sample.headers, body: sample.body, expect: 'duplicate' },
  ];
  if (proofs.some((h) => /signature/i.test(h))) out.push({ name: 'altered body', url, headers: sample.headers, body: text.replace(/\d/, (d) => String((Number(d) + 1) % 10)), expect: 'refused' });
  if (oversized) out.push({ name: 'oversized', url, headers: sample.headers, body: Buffer.alloc(bytesOf(receiver.maxBody ?? '1mb') + 1024, 0x20), expect: 'refused' });
  return out;
}

async function signalsOf(client: Client, connectionId: string): Promise<number> {
  const history = await client.workflow.getHandle(syncWorkflowId(connectionId)).fetchHistory().catch(() => undefined);
  return (history?.events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes).length;
}

/**
 * R6 for one pair: `deliveries` bad deliveries (in rounds of every kind) at each of the pair's webhook receivers, on a
 * connection made from the pair's demo, after one genuine delivery. 0 signals from them (the genuine one is the only
 * signal), 0 5xx, every bad one refused with a 4xx, every replay of the genuine one answered without a second signal.
 */
export async function badWebhookDeliveries(pair: PairDefinition, deps: { pool: Db; client: Client; masterKey: string }, opts: { deliveries: number }): Promise<ScenarioResult> {
  const began = Date.now();
  const sims: RunningSimulator[] = [];
  let api: Listening | undefined;
  const ids = [`hooks-${randomUUID().slice(0, 8)}`, `hooks-other-${randomUUID().slice(0, 8)}`];
  const failures: string[] = [];
  const statuses: Record<string, number> = {};
  let sent = 0;
  let replays = 0;
  let rounds = 0;
  let serverErrors = 0;
  let extraSignals = 0;
  let missing = 0;
  try {
    const simulators = await startDemoSimulators(pair.demo.simulators, sims);
    api = await listen(createApp({ pool: deps.pool, temporal: deps.client, logger: createLogger('silent', 'api'), taskQueue: uniqueTaskQueue('hooks'), masterKey: deps.masterKey }));
    const cipher = new CredentialCipher(deps.masterKey);
    for (const id of ids) {
      const demo = await pair.demo.connect({ simulators, apiUrl: api.baseUrl });
      await insertConnection(deps.pool, { id, customerId: `hooks-${id}`, pair: pair.id, config: pair.configSchema.parse(demo.config) as Record<string, unknown> });
      for (const [side, creds] of Object.entries(demo.credentials)) await putCredentials(deps.pool, cipher, id, side, creds as Record<string, unknown>);
    }
    const receivers = pair.webhooks ?? [];
    const perReceiver = Math.ceil(opts.deliveries / Math.max(1, receivers.length));
    for (const receiver of receivers) {
      const [target, other] = ids as [string, string];
      const url = `${api.baseUrl}/webhooks/${receiver.partner}/${target}`;
      const sample = await receiver.signedSample({ pool: deps.pool, cipher }, target);
      const foreign = await receiver.signedSample({ pool: deps.pool, cipher }, other);
      const genuine = await fetch(url, { method: 'POST', headers: sample.headers, body: sample.body });
      if (genuine.status >= 300) failures.push(`${receiver.partner}: the genuine delivery was refused (${genuine.status} ${await genuine.text()})`);
      const before = await signalsOf(deps.client, target);
      if (before !== 1) missing += 1;
      let bad = 0;
      for (let round = 0; bad < perReceiver; round++) {
        rounds += 1;
        for (const d of badDeliveries(url, `${api.baseUrl}/webhooks/${receiver.partner}/no-such-connection`, sample, foreign, receiver, round % 10 === 0)) {
          const res = await fetch(d.url, { method: 'POST', headers: d.headers, body: d.body });
          const text = await res.text();
          if (d.expect === 'refused') bad += 1;
          else replays += 1;
          statuses[res.status] = (statuses[res.status] ?? 0) + 1;
          const about = `${receiver.partner} ${d.name}`;
          if (res.status >= 500) {
            serverErrors += 1;
            failures.push(`${about}: ${res.status} ${text.slice(0, 200)}`);
          } else if (d.expect === 'refused' && (res.status < 400 || res.status >= 500)) failures.push(`${about}: answered ${res.status}, not refused`);
          else if (d.expect === 'duplicate' && res.status >= 300) failures.push(`${about}: answered ${res.status} to a genuine redelivery`);
        }
      }
      sent += bad;
      const after = await signalsOf(deps.client, target);
      extraSignals += after - before;
      if (after !== before) failures.push(`${receiver.partner}: ${after - before} signals from bad or repeated deliveries`);
      if ((await signalsOf(deps.client, other)) !== 0) failures.push(`${receiver.partner}: the other connection was signalled`);
    }
    if (missing > 0) failures.push(`${missing} receivers did not signal the genuine delivery exactly once`);
    const histogram = Object.entries(statuses).map(([s, n]) => `${s}: ${n}`).join(', ');
    return {
      scenario: 'R6 bad webhook deliveries',
      pair: pair.id,
      runs: receivers.length,
      recordsChecked: sent,
      duplicates: extraSignals,
      missing,
      partner5xx: serverErrors,
      pass: failures.length === 0,
      notes: [`${sent} bad deliveries and ${replays} redeliveries of the genuine one at ${receivers.map((r) => r.partner).join(', ')} in ${rounds} rounds: { ${histogram} }; ${((Date.now() - began) / 1000).toFixed(0)} s`],
      failures: failures.slice(0, 50),
    };
  } finally {
    for (const id of ids) await deps.client.workflow.getHandle(syncWorkflowId(id)).terminate('fault scenario finished').catch(() => undefined);
    await api?.close();
    for (const sim of sims) await sim.close();
  }
}

/** R6 as jest tests, one per pair with a webhook receiver, `total` deliveries shared among them. */
export function describeWebhookDeliveries(label: string, total: number, timeoutMs: number): void {
  const receiving = pairs.filter((p) => (p.webhooks ?? []).length > 0);
  describe(label, () => {
    let db: TestDatabase;
    let client: Client;
    beforeAll(async () => {
      db = await createTestDatabase('webhook-deliveries');
      client = await testClient();
    });
    afterAll(async () => {
      await client?.connection.close();
      await db?.drop();
    });
    it('covers every pair with a webhook receiver', () => {
      expect(receiving.map((p) => p.id)).toEqual(expect.arrayContaining(['peoplesoft-asana', 'peoplesoft-jira', 'peoplesoft-procore']));
    });
    for (const pair of receiving) {
      scenarioTest(`${pair.id}: ${Math.ceil(total / receiving.length)} bad deliveries, 0 signals, 0 5xx, a genuine redelivery applied once`, { scenario: 'R6 bad webhook deliveries', pair: pair.id }, () => badWebhookDeliveries(pair, { pool: db.pool, client, masterKey: testMasterKey() }, { deliveries: Math.ceil(total / receiving.length) }), timeoutMs);
    }
  });
}
