import { createHmac } from 'node:crypto';
import { z } from 'zod';
import type { SimClock } from '../kit/clock';
import { webhookHears } from './events';
import type { AsanaStore, SimEvent, SimTask, SimWebhook } from './store';

/**
 * Webhook delivery as https://developers.asana.com/docs/webhooks-guide describes it (Asana/developer-docs
 * `_webhooks.html.md` "Errors and retries", "Heartbeat events"):
 * - a delivery is a POST `{"events":[...]}` signed with `X-Hook-Signature` = hex HMAC-SHA256 of the body keyed by the
 *   handshake secret; it fails when the target gives no 2xx within 10 s;
 * - failed deliveries are retried with exponential backoff (capped at 1 h: "after an outage of about an hour,
 *   delivery should resume within about an hour of recovery");
 * - an empty `{"events":[]}` heartbeat goes out every 8 hours;
 * - "If we are unable to deliver a message for 24 hours, the webhook will be deleted."
 * Time comes from the SimClock only: `advance()` walks the clock through every due attempt so tests are deterministic.
 */
export const webhookSettingsSchema = z
  .object({
    /** 'auto' delivers as soon as events happen (demo); 'manual' waits for flush()/advance() (deterministic tests). */
    delivery: z.enum(['auto', 'manual']).default('auto'),
    deliveryTimeoutMs: z.number().int().min(1).default(10_000),
    backoffBaseMs: z.number().int().min(1).default(30_000),
    backoffMaxMs: z.number().int().min(1).default(3_600_000),
    heartbeatIntervalMs: z.number().int().min(1).default(8 * 3_600_000),
    deleteAfterFailingMs: z.number().int().min(1).default(24 * 3_600_000),
    /** Real Asana refuses localhost targets with 403; allowed by default because every test runs on loopback. */
    allowLocalhostTargets: z.boolean().default(true),
  })
  .strict();
export type WebhookSettings = z.infer<typeof webhookSettingsSchema>;

export interface DeliveryRecord {
  id: number;
  webhookGid: string;
  target: string;
  kind: 'events' | 'heartbeat' | 'redelivery';
  atMs: number;
  body: string;
  signature: string;
  outcome: 'delivered' | 'failed';
  httpStatus: number | null;
  error: string | null;
}

export const sign = (secret: string, body: string): string => createHmac('sha256', secret).update(body).digest('hex');

export class WebhookEngine {
  private settings: WebhookSettings = webhookSettingsSchema.parse({});
  private readonly records: DeliveryRecord[] = [];
  private readonly inFlight = new Map<string, Promise<void>>();
  private nextId = 1;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: AsanaStore,
    private readonly clock: SimClock,
  ) {}

  configure(input: unknown): WebhookSettings {
    this.settings = webhookSettingsSchema.parse({ ...this.settings, ...(input as object) });
    return this.settings;
  }

  current(): WebhookSettings {
    return { ...this.settings };
  }

  /** In 'auto' mode a real-time loop picks up retries that came due; stopped on close. */
  start(): void {
    this.timer = setInterval(() => {
      if (this.settings.delivery === 'auto') void this.runDue();
    }, 1000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  deliveries(): DeliveryRecord[] {
    return [...this.records];
  }

  /** Queues the events for every webhook that hears them. */
  publish(task: SimTask, events: SimEvent[]): void {
    let queued = false;
    for (const hook of this.store.webhooks.values()) {
      for (const event of events) {
        if (webhookHears(hook, task, event)) {
          hook.pending.push(event);
          queued = true;
        }
      }
    }
    if (queued && this.settings.delivery === 'auto') setImmediate(() => void this.runDue());
  }

  private dueAt(hook: SimWebhook): number {
    const owesSomething = hook.pending.length > 0 || hook.failingSinceMs !== null;
    if (owesSomething) return hook.nextAttemptAfterMs ?? this.clock.nowMs();
    return hook.lastHeartbeatMs + this.settings.heartbeatIntervalMs;
  }

  /** Attempts every delivery due now and waits for all of them. */
  async runDue(): Promise<void> {
    const now = this.clock.nowMs();
    const attempts: Promise<void>[] = [];
    for (const hook of [...this.store.webhooks.values()]) {
      const running = this.inFlight.get(hook.gid);
      if (running) {
        attempts.push(running);
        continue;
      }
      if (this.dueAt(hook) > now) continue;
      const attempt = this.attempt(hook).finally(() => this.inFlight.delete(hook.gid));
      this.inFlight.set(hook.gid, attempt);
      attempts.push(attempt);
    }
    await Promise.all(attempts);
  }

  /** Moves the clock forward by `ms`, stopping at every due attempt (retries, heartbeats) on the way. */
  async advance(ms: number): Promise<void> {
    const target = this.clock.nowMs() + ms;
    for (let guard = 0; guard < 100_000; guard += 1) {
      const hooks = [...this.store.webhooks.values()];
      const next = Math.min(...hooks.map((h) => this.dueAt(h)));
      if (!Number.isFinite(next) || next > target) break;
      const step = next - this.clock.nowMs();
      if (step > 0) this.clock.advance(step);
      await this.runDue();
    }
    const rest = target - this.clock.nowMs();
    if (rest > 0) this.clock.advance(rest);
  }

  /** Sends a past delivery's exact body again, as Asana may (delivery is not exactly-once). */
  async redeliver(id: number): Promise<DeliveryRecord> {
    const original = this.records.find((r) => r.id === id);
    if (!original) throw new Error(`no delivery ${id}`);
    const hook = this.store.webhooks.get(original.webhookGid);
    if (!hook) throw new Error(`webhook ${original.webhookGid} no longer exists`);
    return this.post(hook, original.body, 'redelivery');
  }

  private async attempt(hook: SimWebhook): Promise<void> {
    const events = hook.pending.slice(0, 100);
    const kind = events.length > 0 ? 'events' : 'heartbeat';
    const record = await this.post(hook, JSON.stringify({ events }), kind);
    const now = this.clock.nowMs();
    const at = new Date(now).toISOString();
    if (record.outcome === 'delivered') {
      hook.pending.splice(0, events.length);
      hook.lastSuccessAt = at;
      hook.lastHeartbeatMs = now;
      hook.deliveryRetryCount = 0;
      hook.failingSinceMs = null;
      hook.nextAttemptAfterMs = hook.pending.length > 0 ? now : null;
      return;
    }
    hook.lastFailureAt = at;
    hook.lastFailureContent = record.error ?? `HTTP ${record.httpStatus ?? 'no response'}`;
    hook.failingSinceMs ??= now;
    if (now - hook.failingSinceMs >= this.settings.deleteAfterFailingMs) {
      this.store.webhooks.delete(hook.gid);
      return;
    }
    hook.deliveryRetryCount += 1;
    const backoff = Math.min(this.settings.backoffMaxMs, this.settings.backoffBaseMs * 2 ** (hook.deliveryRetryCount - 1));
    hook.nextAttemptAfterMs = now + backoff;
  }

  private async post(hook: SimWebhook, body: string, kind: DeliveryRecord['kind']): Promise<DeliveryRecord> {
    const signature = sign(hook.secret, body);
    const record: DeliveryRecord = {
      id: this.nextId++,
      webhookGid: hook.gid,
      target: hook.target,
      kind,
      atMs: this.clock.nowMs(),
      body,
      signature,
      outcome: 'failed',
      httpStatus: null,
      error: null,
    };
    try {
      const res = await fetch(hook.target, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', 'x-hook-signature': signature },
        body,
        signal: AbortSignal.timeout(this.settings.deliveryTimeoutMs),
      });
      await res.arrayBuffer();
      record.httpStatus = res.status;
      if (res.ok) record.outcome = 'delivered';
      else record.error = `HTTP ${res.status}`;
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code;
      record.error = cause ?? (err instanceof Error ? err.name : 'error');
    }
    this.records.push(record);
    return record;
  }
}
