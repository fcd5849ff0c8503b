import { randomBytes } from 'node:crypto';
import type { SimClock } from '../kit/clock';
import { stringifyProcore } from './json';
import { resourceNames, type Kind, type ProcoreStore, type Rec } from './store';

/**
 * Webhook deliveries as Procore documents them (https://developers.procore.com/documentation/webhooks): an HTTPS POST
 * with a JSON body and the hook's `destination_headers`, no signature; the receiver must answer 200/204 within 5 s;
 * failures are retried with exponential backoff from 1 s up to 1 h, and after 12 h the event is discarded. Payload
 * versions: v2 (numeric ids, `ulid`, `event_type`, `resource_name`), v3 (adds `related_resources`), v4 (string ids,
 * `id` is a ULID, `reason`, `resource_type`).
 */
export interface Hook {
  id: string;
  namespace: string;
  destination_url: string;
  destination_headers: Record<string, string>;
  api_version: string;
  triggers: { id: string; resource_name: string; event_type: string }[];
}

export interface DeliveryAttempt {
  id: string;
  event_id: string;
  started_at: string;
  completed_at: string | null;
  response_status: number | null;
  response_error: string | null;
  response_body: string | null;
  outcome: 'ok' | 'retried' | 'discarded' | 'failed' | 'pending';
  event: Record<string, unknown>;
}

interface EventState {
  hookId: string;
  payload: Record<string, unknown>;
  createdAtMs: number;
  status: 'successful' | 'failing' | 'discarded';
  attempts: number;
  /** The documented (unscaled) wait scheduled after each failed attempt: the backoff, for the admin surface. */
  retryDelaysMs: number[];
}

const TIMEOUT_MS = 5_000;
const DISCARD_AFTER_MS = 12 * 3_600_000;
const MAX_BACKOFF_MS = 3_600_000;

/** A ULID: 10 characters of time, 16 of randomness (Crockford base 32). */
function ulid(nowMs: number): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let t = nowMs;
  let time = '';
  for (let i = 0; i < 10; i++) {
    time = alphabet[t % 32]! + time;
    t = Math.floor(t / 32);
  }
  return time + Array.from(randomBytes(16), (b) => alphabet[b % 32]).join('');
}

export class WebhookEngine {
  readonly hooks = new Map<string, Hook>();
  readonly deliveries: DeliveryAttempt[] = [];
  private readonly events = new Map<string, EventState>();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Multiplies the retry delays (tests shorten them; the schedule's shape stays the documented one). */
  backoffScale = 1;

  constructor(
    private readonly store: ProcoreStore,
    private readonly clock: SimClock,
  ) {
    store.onChange((kind, rec, type) => this.emit(kind, rec, type));
  }

  emit(kind: Kind, rec: Rec, eventType: 'create' | 'update' | 'delete'): void {
    const resourceName = resourceNames[kind];
    if (!resourceName) return;
    for (const hook of this.hooks.values()) {
      if (!hook.triggers.some((t) => t.resource_name === resourceName && t.event_type === eventType)) continue;
      const payload = this.payload(hook, resourceName, rec, eventType);
      const eventId = String(payload.ulid ?? payload.id);
      this.events.set(eventId, { hookId: hook.id, payload, createdAtMs: this.clock.nowMs(), status: 'failing', attempts: 0, retryDelaysMs: [] });
      void this.attempt(eventId);
    }
  }

  /** Sends an event's payload again as it was (Procore may deliver an event more than once). */
  redeliver(eventId: string): boolean {
    const e = this.events.get(eventId);
    if (!e) return false;
    void this.attempt(eventId, true);
    return true;
  }

  eventIds(): string[] {
    return [...this.events.keys()];
  }

  /** Where each event stands (admin surface: not part of Procore's API). */
  eventStates(): { id: string; hookId: string; status: string; attempts: number; retryDelaysMs: number[] }[] {
    return [...this.events].map(([id, e]) => ({ id, hookId: e.hookId, status: e.status, attempts: e.attempts, retryDelaysMs: [...e.retryDelaysMs] }));
  }

  /** Deliveries of one hook whose event is in `status` (`any` for all). */
  listDeliveries(hookId: string, status: string): DeliveryAttempt[] {
    return this.deliveries.filter((d) => {
      const e = this.events.get(d.event_id);
      return e?.hookId === hookId && (status === 'any' || e.status === status);
    });
  }

  close(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private payload(hook: Hook, resourceName: string, rec: Rec, eventType: string): Record<string, unknown> {
    const now = this.clock.nowMs();
    const common = { timestamp: new Date(now).toISOString(), company_id: this.store.companyId, project_id: typeof rec.project_id === 'string' ? rec.project_id : null, resource_id: rec.id };
    const id = ulid(now);
    if (hook.api_version === 'v4') return { ...common, id, api_version: 'v4.0', reason: eventType, resource_type: resourceName, metadata: {} };
    const v2 = { ...common, id: this.store.newId(), ulid: id, api_version: hook.api_version === 'v3' ? 'v3.0' : 'v2', event_type: eventType, resource_name: resourceName, user_id: '1', metadata: { source_company_id: this.store.companyId } };
    return hook.api_version === 'v3' ? { ...v2, related_resources: [] } : v2;
  }

  private async attempt(eventId: string, duplicate = false): Promise<void> {
    const e = this.events.get(eventId)!;
    const hook = this.hooks.get(e.hookId);
    if (!hook) return;
    if (!duplicate && this.clock.nowMs() - e.createdAtMs > DISCARD_AFTER_MS) {
      e.status = 'discarded';
      this.deliveries.push({ id: this.store.newId(), event_id: eventId, started_at: this.clock.now().toISOString(), completed_at: null, response_status: null, response_error: 'discarded after 12 hours of failed deliveries', response_body: null, outcome: 'discarded', event: e.payload });
      return;
    }
    e.attempts += 1;
    const d: DeliveryAttempt = { id: this.store.newId(), event_id: eventId, started_at: this.clock.now().toISOString(), completed_at: null, response_status: null, response_error: null, response_body: null, outcome: 'pending', event: e.payload };
    this.deliveries.push(d);
    try {
      const v4 = hook.api_version === 'v4';
      const body = v4 ? JSON.stringify(e.payload) : stringifyProcore(e.payload);
      const res = await fetch(hook.destination_url, { method: 'POST', headers: { 'content-type': 'application/json', ...hook.destination_headers }, body, signal: AbortSignal.timeout(TIMEOUT_MS) });
      d.response_status = res.status;
      d.response_body = (await res.text()).slice(0, 1000);
      d.outcome = res.status === 200 || res.status === 204 ? 'ok' : 'retried';
    } catch (err) {
      d.response_error = err instanceof Error ? err.name === 'TimeoutError' ? 'timed out after 5 s' : err.message : String(err);
      d.outcome = 'retried';
    }
    d.completed_at = this.clock.now().toISOString();
    if (d.outcome === 'ok') {
      if (!duplicate) e.status = 'successful';
      return;
    }
    if (duplicate) return;
    const documented = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (e.attempts - 1));
    e.retryDelaysMs.push(documented);
    const delay = documented * this.backoffScale;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(eventId);
    }, delay);
    timer.unref();
    this.timers.add(timer);
  }
}
