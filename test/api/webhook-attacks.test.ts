import { randomUUID } from 'node:crypto';
import { type Client } from '@temporalio/client';
import { createApp } from '../../api/app';
import { hashHandshakeToken, signAsanaBody, withHandshakeToken } from '../../connectors/asana';
import { PAIR } from '../../pairs/peoplesoft-asana/config';
import { syncWorkflowId } from '../../core/sync-messages';
import { insertConnection } from '../../db/connections';
import { CredentialCipher } from '../../db/credential-cipher';
import { listRegistrations, markActive, markPending, openSecret } from '../../db/webhook-registrations';
import { listen, type Listening } from '../../core/listen';
import { createLogger } from '../../core/logger';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { testMasterKey } from '../support/env';
import { testClient, uniqueTaskQueue } from '../support/temporal';

const gid = (n: number) => String(1000 + n);
const text = (n: number) => ({ fieldGid: gid(n), type: 'text' });
/** A valid connection config; the receiver needs one to start the workflow for a genuine delivery. */
const config = {
  peoplesoft: { baseUrl: 'https://psft.example.com', node: 'PSFT_EP' },
  asana: { workspaceGid: gid(90), projectGid: gid(91) },
  fields: {
    invoiceId: text(1), requisitionId: text(2), businessUnit: text(3), vendorOrRequester: text(4),
    amount: { fieldGid: gid(5), type: 'number' }, dueDate: { fieldGid: gid(6), type: 'date' },
    status: { fieldGid: gid(7), type: 'enum', enumOptions: { P: gid(8), A: gid(9), D: gid(10) } }, externalKey: text(11),
  },
};

/**
 * Issue 16 item 8 and the webhook attacks: a stranger cannot plant the Asana secret while a registration is pending,
 * and no forged, altered, oversized, malformed or mistyped delivery becomes a signal. The workflow is only ever started
 * by a signal (signalWithStart), so "no workflow" means zero signals reached it.
 */
describe('Asana webhook receiver under attack', () => {
  let db: TestDatabase;
  let client: Client;
  let api: Listening;
  const connectionId = `hooks-${randomUUID().slice(0, 8)}`;
  const key = { connectionId, partner: 'asana', resource: gid(91) };
  const token = 'one-time-token-'.padEnd(43, 'x');
  const asanaSecret = 'asana-real-secret-'.padEnd(40, 'r');
  const strangerSecret = 'stranger-secret-'.padEnd(40, 's');
  let base = '';

  beforeAll(async () => {
    db = await createTestDatabase('webhook-attacks');
    client = await testClient();
    await insertConnection(db.pool, { id: connectionId, customerId: 'acme', pair: PAIR, config });
    api = await listen(createApp({ pool: db.pool, temporal: client, logger: createLogger('silent'), taskQueue: uniqueTaskQueue('attacks'), masterKey: testMasterKey() }));
    base = `${api.baseUrl}/webhooks/asana/${connectionId}`;
    // What housekeeping does before POST /webhooks: a pending row holding only the token's hash.
    await markPending(db.pool, { ...key, targetUrl: base, handshakeTokenHash: hashHandshakeToken(token) });
  });
  afterAll(async () => {
    await client.workflow.getHandle(syncWorkflowId(connectionId)).terminate('test finished').catch(() => undefined);
    await api?.close();
    await client?.connection.close();
    await db?.drop();
  });

  const post = (url: string, body: string | Buffer, headers: Record<string, string> = {}) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const storedSecret = async () => {
    const [row] = await listRegistrations(db.pool, connectionId, 'asana');
    return row ? openSecret(new CredentialCipher(testMasterKey()), row) : undefined;
  };
  const signals = async () => {
    const handle = client.workflow.getHandle(syncWorkflowId(connectionId));
    const history = await handle.fetchHistory().catch(() => undefined);
    return (history?.events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes).length;
  };
  const delivery = JSON.stringify({
    events: [{ user: { gid: '1', resource_type: 'user' }, created_at: '2026-01-01T00:00:00.000Z', action: 'changed', resource: { gid: '42', resource_type: 'task' }, change: { field: 'completed', action: 'changed', new_value: true } }],
  });

  it('refuses handshakes without the one-time token, with a wrong one, or for another connection', async () => {
    const planted = { 'x-hook-secret': strangerSecret };
    expect((await post(base, '', planted)).status).toBe(401);
    expect((await post(withHandshakeToken(base, 'guessed-token'), '', planted)).status).toBe(401);
    expect((await post(withHandshakeToken(`${api.baseUrl}/webhooks/asana/another-connection`, token), '', planted)).status).toBe(401);
    expect(await storedSecret()).toBeUndefined();
  });

  it("accepts Asana's handshake once, and a second one with the same token never overwrites the secret", async () => {
    const res = await post(withHandshakeToken(base, token), '', { 'x-hook-secret': asanaSecret });
    expect([res.status, res.headers.get('x-hook-secret')]).toEqual([200, asanaSecret]);
    const replayed = await post(withHandshakeToken(base, token), '', { 'x-hook-secret': strangerSecret });
    expect(replayed.status).toBe(401);
    expect(await storedSecret()).toBe(asanaSecret);
    await markActive(db.pool, { ...key, webhookId: '555' });
    // Once active, no handshake is accepted at all, token or not.
    expect((await post(withHandshakeToken(base, token), '', { 'x-hook-secret': strangerSecret })).status).toBe(401);
    expect(await storedSecret()).toBe(asanaSecret);
  });

  it('keeps every forged, altered, oversized, malformed or mistyped delivery away from the workflow', async () => {
    const attacks: Array<[string, Promise<Response>, number]> = [
      ['signed with the stranger secret', post(base, delivery, { 'x-hook-signature': signAsanaBody(delivery, strangerSecret) }), 401],
      ['unsigned', post(base, delivery), 401],
      ['altered body', post(base, delivery.replace('"42"', '"43"'), { 'x-hook-signature': signAsanaBody(delivery, asanaSecret) }), 401],
      ['signature of another body', post(base, delivery, { 'x-hook-signature': signAsanaBody('{"events":[]}', asanaSecret) }), 401],
      ['oversized', post(base, Buffer.alloc(1024 * 1024 + 10, 0x20), { 'x-hook-signature': 'ab'.repeat(32) }), 413],
      ['malformed JSON, signed', post(base, '{"events": [', { 'x-hook-signature': signAsanaBody('{"events": [', asanaSecret) }), 400],
      ['not a delivery, signed', post(base, '{"hello":1}', { 'x-hook-signature': signAsanaBody('{"hello":1}', asanaSecret) }), 400],
      ['wrong content type, unsigned', post(base, delivery, { 'content-type': 'text/plain' }), 401],
      ['form encoded, unsigned', post(base, 'events=1', { 'content-type': 'application/x-www-form-urlencoded' }), 401],
      ['unknown connection', post(`${api.baseUrl}/webhooks/asana/nobody`, delivery, { 'x-hook-signature': signAsanaBody(delivery, asanaSecret) }), 401],
    ];
    const statuses = await Promise.all(attacks.map(async ([name, res, expected]) => [name, (await res).status, expected]));
    for (const [name, status, expected] of statuses) expect([name, status]).toEqual([name, expected]);
    expect(await signals()).toBe(0);
  });

  it('a genuine delivery becomes exactly one signal, and attacks after it add none', async () => {
    const res = await post(base, delivery, { 'x-hook-signature': signAsanaBody(delivery, asanaSecret) });
    expect([res.status, await res.json()]).toEqual([200, { accepted: 1 }]);
    expect(await signals()).toBe(1);
    // The attacks again, now that the workflow exists: still nothing more reaches it.
    expect((await post(base, delivery, { 'x-hook-signature': signAsanaBody(delivery, strangerSecret) })).status).toBe(401);
    expect((await post(base, '', { 'x-hook-secret': strangerSecret })).status).toBe(401);
    expect(await signals()).toBe(1);
    expect(await storedSecret()).toBe(asanaSecret);
  });
});
