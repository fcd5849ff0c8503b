import { randomUUID } from 'node:crypto';
import { type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { markActive, markPending, storePendingSecret } from '../../db/webhook-registrations';
import { signAsanaBody } from '../../connectors/asana';
import { PAIR } from '../../pairs/peoplesoft-asana/config';
import { syncWorkflowId } from '../../core/sync-messages';
import { insertConnection } from '../../db/connections';
import { CredentialCipher } from '../../db/credential-cipher';
import { createLogger } from '../../core/logger';
import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import { testMasterKey } from '../../test/support/env';
import { testClient, uniqueTaskQueue } from '../../test/support/temporal';
import { createApp } from '../app';

const SECRET = 'a'.repeat(32);

describe('POST /webhooks/asana/:connectionId', () => {
  let db: TestDatabase;
  let client: Client;
  let server: Server;
  let url: string;
  const connectionId = randomUUID();
  const key = { connectionId, partner: 'asana', resource: '1200' };

  beforeAll(async () => {
    db = await createTestDatabase('asana-webhooks');
    client = await testClient();
    const masterKey = testMasterKey();
    await insertConnection(db.pool, { id: connectionId, customerId: 'acme', pair: PAIR, config: {} });
    await markPending(db.pool, { ...key, targetUrl: 'http://x' });
    await storePendingSecret(db.pool, new CredentialCipher(masterKey), key, SECRET);
    await markActive(db.pool, { ...key, webhookId: '999' });
    const app = createApp({ pool: db.pool, temporal: client, logger: createLogger('silent'), taskQueue: uniqueTaskQueue('hooks'), masterKey });
    server = app.listen(0);
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/asana/${connectionId}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await client.connection.close();
    await db.drop();
  });

  const post = (body: string | Buffer, headers: Record<string, string> = {}) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const event = JSON.stringify({
    events: [{ user: { gid: '1', resource_type: 'user' }, created_at: '2026-01-01T00:00:00.000Z', action: 'changed', resource: { gid: '42', resource_type: 'task' }, change: { field: 'completed', action: 'changed' } }],
  });
  const noWorkflow = async () => {
    const err = await client.workflow.getHandle(syncWorkflowId(connectionId)).describe().then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowNotFoundError);
  };

  it('refuses deliveries without a valid signature over the exact bytes, before anything is signalled', async () => {
    expect((await post(event)).status).toBe(401);
    expect((await post(event, { 'x-hook-signature': signAsanaBody(event, 'b'.repeat(32)) })).status).toBe(401);
    expect((await post(event.replace('"42"', '"43"'), { 'x-hook-signature': signAsanaBody(event, SECRET) })).status).toBe(401);
    expect((await post(event, { 'x-hook-signature': 'zz' })).status).toBe(401);
    await noWorkflow();
  });

  it('answers 400 to signed malformed JSON or a non-delivery, and 413 to an oversized body', async () => {
    const bad = '{"events": [';
    expect((await post(bad, { 'x-hook-signature': signAsanaBody(bad, SECRET) })).status).toBe(400);
    const odd = '{"hello": 1}';
    expect((await post(odd, { 'x-hook-signature': signAsanaBody(odd, SECRET) })).status).toBe(400);
    const big = Buffer.alloc(1024 * 1024 + 10, 0x20);
    expect((await post(big, { 'x-hook-signature': signAsanaBody(big, SECRET) })).status).toBe(413);
    await noWorkflow();
  });

  it('acknowledges signed heartbeats and refuses a handshake nobody asked for', async () => {
    const beat = '{"events":[]}';
    const res = await post(beat, { 'x-hook-signature': signAsanaBody(beat, SECRET) });
    expect(res.status).toBe(200);
    expect((await post(beat, { 'x-hook-secret': 'c'.repeat(32) })).status).toBe(401);
    // An unknown connection answers like a known one refusing: no existence leak.
    expect((await fetch(url.replace(connectionId, randomUUID()), { method: 'POST', body: beat })).status).toBe(401);
    await noWorkflow();
  });
});
