import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isPartnerError, type PartnerError } from '../../core/partner-error';
import { startAsanaSimulator, type RunningAsanaSimulator } from '../../simulators/asana';
import type { SeedResult } from '../../simulators/asana/seed';
import { RateLimiterRegistry } from '../http/rate-limiter';
import { createAsanaConnector } from './connector';
import { classifyAsanaWebhookRequest } from './webhook-handshake';
import { asanaDeliverySchema, asanaEventKey, isHeartbeat } from './webhook-events';
import { signAsanaBody, verifyAsanaSignature } from './webhook-signature';

/** A minimal receiver like the API's webhook route: handshake, then signed deliveries kept with their raw bytes. */
interface Received {
  headers: IncomingHttpHeaders;
  raw: Buffer;
}
class Receiver {
  secret: string | undefined;
  acceptingHandshake = true;
  /** 'ok' answers 200; 'down' answers 503; 'no-echo' answers the handshake without the header. */
  mode: 'ok' | 'down' | 'no-echo' = 'ok';
  readonly deliveries: Received[] = [];
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        if (this.mode === 'down') return void res.writeHead(503).end();
        const kind = classifyAsanaWebhookRequest(req.headers, this.acceptingHandshake);
        if (kind.kind === 'handshake') {
          if (this.mode === 'no-echo') return void res.writeHead(200).end();
          this.secret = kind.secret;
          this.acceptingHandshake = false;
          return void res.writeHead(kind.status, kind.responseHeaders).end();
        }
        if (kind.kind === 'invalid' || !this.secret || !verifyAsanaSignature(raw, this.secret, kind.signature)) {
          return void res.writeHead(401).end();
        }
        this.deliveries.push({ headers: req.headers, raw });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhooks/asana/conn-1`;
  }
  close(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}

let sim: RunningAsanaSimulator;
let world: SeedResult;
let receiver: Receiver;
const HOUR = 3_600_000;

const connector = () =>
  createAsanaConnector(
    { baseUrl: sim.apiUrl, workspaceGid: world.workspaceGid, projectGid: world.projectGid, token: world.users[0]!.token },
    { limiters: new RateLimiterRegistry() },
  );

beforeAll(async () => {
  sim = await startAsanaSimulator({ port: 0 });
  await sim.admin.settings({ webhooks: { delivery: 'manual' } });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(async () => {
  world = await sim.admin.seed({});
  receiver = new Receiver();
  await receiver.start();
});
afterEach(async () => {
  await receiver.close();
});

describe('webhook creation', () => {
  it('completes the X-Hook-Secret handshake before Asana answers 201, and the secrets match', async () => {
    const asana = connector();
    const { webhook, secret } = await asana.createWebhook({ target: receiver.url });
    expect(receiver.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(secret).toBe(receiver.secret);
    expect(webhook.active).toBe(true);
    expect(webhook.resource?.gid).toBe(world.projectGid);
    const listed = await asana.listWebhooks();
    expect(listed.map((w) => w.gid)).toEqual([webhook.gid]);
    expect(await asana.deleteWebhook(webhook.gid)).toBe('deleted');
    expect(await asana.deleteWebhook(webhook.gid)).toBe('already-gone');
    expect(await asana.listWebhooks()).toEqual([]);
  });

  it('fails the create when the target does not echo the secret', async () => {
    receiver.mode = 'no-echo';
    const err = (await connector().createWebhook({ target: receiver.url }).catch((e: unknown) => e)) as PartnerError;
    expect(isPartnerError(err)).toBe(true);
    expect(err.status).toBe(400);
    expect(err.message).toMatch(/handshake/);
    expect(await connector().listWebhooks()).toEqual([]);
  });

  it('refuses localhost targets with 403 when configured like real Asana', async () => {
    await sim.admin.settings({ webhooks: { allowLocalhostTargets: false } });
    try {
      const err = (await connector().createWebhook({ target: receiver.url }).catch((e: unknown) => e)) as PartnerError;
      expect(err.status).toBe(403);
      expect(receiver.secret).toBeUndefined();
    } finally {
      await sim.admin.settings({ webhooks: { allowLocalhostTargets: true } });
    }
  });
});

describe('deliveries', () => {
  it('delivers signed events when a person completes a task, honouring filters', async () => {
    const asana = connector();
    await asana.createWebhook({
      target: receiver.url,
      filters: [{ resource_type: 'task', action: 'changed', fields: ['completed'] }],
    });
    const task = await asana.createTask({ name: 'approve me' });
    await asana.updateTask(task.gid, { notes: 'not a completion' });
    await sim.admin.completeTask(task.gid);
    await sim.admin.flushDeliveries();
    expect(receiver.deliveries).toHaveLength(1);
    const delivery = asanaDeliverySchema.parse(JSON.parse(receiver.deliveries[0]!.raw.toString('utf8')));
    expect(delivery.events).toHaveLength(1);
    expect(delivery.events[0]).toMatchObject({ action: 'changed', resource: { gid: task.gid, resource_type: 'task' }, change: { field: 'completed' } });

    // Duplicate delivery (at-most-once is not exactly-once): same bytes, same event key, so the inbox can drop it.
    const [record] = (await sim.admin.deliveries()).filter((d) => d.kind === 'events');
    await sim.admin.redeliver(record!.id);
    expect(receiver.deliveries).toHaveLength(2);
    expect(receiver.deliveries[1]!.raw.equals(receiver.deliveries[0]!.raw)).toBe(true);
    const again = asanaDeliverySchema.parse(JSON.parse(receiver.deliveries[1]!.raw.toString('utf8')));
    expect(asanaEventKey(again.events[0]!)).toBe(asanaEventKey(delivery.events[0]!));
  });

  it('verifies signatures: good, missing, wrong, and body changed after signing', async () => {
    await connector().createWebhook({ target: receiver.url });
    await connector().createTask({ name: 'signed' });
    await sim.admin.flushDeliveries();
    const { raw, headers } = receiver.deliveries[0]!;
    const secret = receiver.secret!;
    const header = headers['x-hook-signature'] as string;
    expect(header).toBe(signAsanaBody(raw, secret));
    expect(verifyAsanaSignature(raw, secret, header)).toBe(true);
    expect(verifyAsanaSignature(raw, secret, undefined)).toBe(false);
    expect(verifyAsanaSignature(raw, secret, '')).toBe(false);
    expect(verifyAsanaSignature(raw, secret, 'zz' + header.slice(2))).toBe(false);
    expect(verifyAsanaSignature(raw, secret, header.slice(0, 63))).toBe(false);
    expect(verifyAsanaSignature(raw, 'another-secret', header)).toBe(false);
    expect(verifyAsanaSignature(raw, '', header)).toBe(false);
    const tampered = Buffer.from(raw.toString('utf8').replace('"added"', '"removed"'));
    expect(tampered.equals(raw)).toBe(false);
    expect(verifyAsanaSignature(tampered, secret, header)).toBe(false);
  });

  it('sends an empty heartbeat every 8 hours, which refreshes last_success_at', async () => {
    const asana = connector();
    const { webhook } = await asana.createWebhook({ target: receiver.url });
    await sim.admin.advanceClock(8 * HOUR - 60_000);
    expect(receiver.deliveries).toHaveLength(0);
    await sim.admin.advanceClock(2 * 60_000);
    expect(receiver.deliveries).toHaveLength(1);
    const beat = asanaDeliverySchema.parse(JSON.parse(receiver.deliveries[0]!.raw.toString('utf8')));
    expect(isHeartbeat(beat)).toBe(true);
    const [listed] = await asana.listWebhooks();
    expect(listed!.gid).toBe(webhook.gid);
    expect(listed!.last_success_at).toBeTruthy();
    await sim.admin.advanceClock(16 * HOUR);
    expect(receiver.deliveries).toHaveLength(3);
  });

  it('retries with growing backoff while the target is down, then deletes the webhook after 24 h of failures', async () => {
    const asana = connector();
    const { webhook } = await asana.createWebhook({ target: receiver.url });
    receiver.mode = 'down';
    await asana.createTask({ name: 'undeliverable' });
    await sim.admin.flushDeliveries();
    await sim.admin.advanceClock(2 * HOUR);
    const [mid] = await asana.listWebhooks();
    expect(mid!.delivery_retry_count).toBeGreaterThanOrEqual(5);
    expect(mid!.last_failure_content).toMatch(/503/);
    const attempts = (await sim.admin.deliveries()).filter((d) => d.webhookGid === webhook.gid).map((d) => d.atMs);
    const gaps = attempts.slice(1).map((t, i) => t - attempts[i]!);
    for (let i = 1; i < gaps.length; i += 1) expect(gaps[i]!).toBeGreaterThanOrEqual(gaps[i - 1]!);

    await sim.admin.advanceClock(21 * HOUR);
    expect((await asana.listWebhooks()).map((w) => w.gid)).toEqual([webhook.gid]);
    await sim.admin.advanceClock(2 * HOUR);
    expect(await asana.listWebhooks()).toEqual([]);
    const gone = (await asana.client
      .send({ operation: 'GET /webhooks/{gid}', method: 'GET', path: `/webhooks/${webhook.gid}` }, asanaDeliverySchema)
      .catch((e: unknown) => e)) as PartnerError;
    expect(gone.status).toBe(404);
    expect(receiver.deliveries).toHaveLength(0);
  });

  it('recovers after a short outage: the queued events arrive and the retry count resets', async () => {
    const asana = connector();
    await asana.createWebhook({ target: receiver.url });
    receiver.mode = 'down';
    const task = await asana.createTask({ name: 'later' });
    await sim.admin.flushDeliveries();
    await sim.admin.advanceClock(10 * 60_000);
    receiver.mode = 'ok';
    await sim.admin.advanceClock(HOUR);
    expect(receiver.deliveries).toHaveLength(1);
    const delivery = asanaDeliverySchema.parse(JSON.parse(receiver.deliveries[0]!.raw.toString('utf8')));
    expect(delivery.events[0]).toMatchObject({ action: 'added', resource: { gid: task.gid } });
    const [hook] = await asana.listWebhooks();
    expect(hook!.delivery_retry_count).toBe(0);
  });
});
