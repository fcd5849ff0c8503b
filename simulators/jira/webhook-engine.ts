import { createHmac, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { SimClock } from '../kit/clock';
import { compileJql, parseJql } from './jql';
import type { OAuthServer } from './oauth';
import { issueBean } from './serialize';
import type { JiraStore, SimIssue } from './store';

/**
 * Webhook deliveries as Jira Cloud makes them (https://developer.atlassian.com/cloud/jira/platform/webhooks/):
 * - admin webhooks with a secret sign the raw body: `X-Hub-Signature: sha256=<hex HMAC-SHA256>` ("Secure admin
 *   webhooks"); dynamic (REST-registered) ones carry a JWT in `Authorization` signed with the app's client secret
 *   (nango.dev/docs/api-integrations/jira/webhooks; the claims are not documented by Atlassian: iss/iat/exp here);
 * - headers `X-Atlassian-Webhook-Identifier` (the same on every retry), `X-Atlassian-Webhook-Flow`,
 *   `X-Atlassian-Webhook-Retry` (absent on the first attempt) (jira.js src/webhooks/headers.ts);
 * - retried on 408, 409, 425, 429, 5xx, a connection failure or a timeout
 *   (community.developer.atlassian.com/t/new-jira-cloud-webhook-retry-policy/30554; the retry count is not
 *   documented: `maxRetries` here);
 * - dynamic webhooks expire 30 days after registration or the last refresh; an expired one is gone.
 * Time comes from the SimClock only, so a test can move 29 or 31 days and see refresh and expiry.
 */
export const webhookSettingsSchema = z
  .object({
    delivery: z.enum(['auto', 'manual']).default('auto'),
    deliveryTimeoutMs: z.number().int().min(1).default(10_000),
    maxRetries: z.number().int().min(0).default(5),
    backoffBaseMs: z.number().int().min(1).default(10_000),
    lifetimeMs: z.number().int().min(1).default(30 * 86_400_000),
  })
  .strict();
export type WebhookSettings = z.infer<typeof webhookSettingsSchema>;

export interface DeliveryRecord {
  id: string;
  kind: 'admin' | 'dynamic';
  webhookIds: number[];
  url: string;
  body: string;
  headers: Record<string, string>;
  attempts: number;
  nextAttemptMs: number;
  outcome: 'pending' | 'delivered' | 'failed';
  lastStatus: number | null;
}

const RETRY_STATUSES = new Set([408, 409, 425, 429]);

const b64url = (s: string | Buffer) => Buffer.from(s).toString('base64url');
export function signJwt(claims: object, secret: string): string {
  const head = `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64url(JSON.stringify(claims))}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}

export class WebhookEngine {
  private settings: WebhookSettings = webhookSettingsSchema.parse({});
  private readonly records: DeliveryRecord[] = [];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly store: JiraStore,
    private readonly clock: SimClock,
    private readonly oauth: OAuthServer,
    private readonly siteUrl: () => string,
  ) {}

  configure(input: unknown): WebhookSettings {
    this.settings = webhookSettingsSchema.parse({ ...this.settings, ...(input as object) });
    return this.settings;
  }

  current(): WebhookSettings {
    return { ...this.settings };
  }

  start(): void {
    this.timer = setInterval(() => {
      if (this.settings.delivery === 'auto') void this.runDue();
    }, 250);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  deliveries(): DeliveryRecord[] {
    return this.records.map((r) => ({ ...r }));
  }

  /** Forgets dynamic webhooks whose 30 days have passed. */
  purgeExpired(): void {
    const now = this.clock.nowMs();
    for (const [id, h] of this.store.dynamicWebhooks) if (h.expiresAtMs <= now) this.store.dynamicWebhooks.delete(id);
  }

  issueEvent(event: 'jira:issue_created' | 'jira:issue_updated' | 'jira:issue_deleted', issue: SimIssue, accountId: string, changedFields: string[] = []): void {
    const typeName = { 'jira:issue_created': 'issue_created', 'jira:issue_updated': 'issue_generic', 'jira:issue_deleted': 'issue_deleted' }[event];
    const changelog = changedFields.length > 0 ? { id: this.store.nextId(), items: changedFields.map((f) => ({ field: this.store.fields.get(f)?.name ?? f, fieldId: f, from: null, fromString: null, to: null, toString: null })) } : undefined;
    this.enqueue(event, issue, changedFields, { issue_event_type_name: typeName, ...(changelog ? { changelog } : {}) }, accountId);
  }

  commentEvent(issue: SimIssue, comment: unknown, accountId: string): void {
    this.enqueue('comment_created', issue, [], { comment }, accountId);
  }

  private enqueue(event: string, issue: SimIssue, changedFields: string[], extra: object, accountId: string): void {
    this.purgeExpired();
    const now = this.clock.nowMs();
    const matches = (jql: string | undefined) => !jql || compileJql(this.store, parseJql(jql), now)(issue);
    const base = { timestamp: now, webhookEvent: event, user: { accountId }, issue: issueBean(this.store, this.siteUrl(), issue, ['*all']), ...extra };
    for (const h of this.store.adminWebhooks.values()) {
      if (!h.enabled || !h.events.includes(event) || !matches(h.jqlFilter)) continue;
      const body = JSON.stringify(base);
      this.push('admin', [h.id], h.url, body, h.secret ? { 'X-Hub-Signature': `sha256=${createHmac('sha256', h.secret).update(body).digest('hex')}` } : {});
    }
    // Dynamic webhooks of one app and URL share one delivery that lists every matching id (`matchedWebhookIds`).
    const groups = new Map<string, number[]>();
    for (const h of this.store.dynamicWebhooks.values()) {
      if (!h.events.includes(event) || !matches(h.jqlFilter)) continue;
      if (h.fieldIdsFilter?.length && event === 'jira:issue_updated' && !changedFields.some((f) => h.fieldIdsFilter!.includes(f))) continue;
      const k = `${h.clientId}\n${h.url}`;
      groups.set(k, [...(groups.get(k) ?? []), h.id]);
    }
    for (const [k, ids] of groups) {
      const [clientId, url] = k.split('\n') as [string, string];
      const body = JSON.stringify({ ...base, matchedWebhookIds: ids });
      const secret = this.oauth.clientSecret(clientId) ?? '';
      const jwt = signJwt({ iss: clientId, iat: Math.floor(now / 1000), exp: Math.floor(now / 1000) + 180 }, secret);
      this.push('dynamic', ids, url, body, { Authorization: `JWT ${jwt}` });
    }
    if (this.settings.delivery === 'auto') void this.runDue();
  }

  private push(kind: DeliveryRecord['kind'], webhookIds: number[], url: string, body: string, headers: Record<string, string>): void {
    this.records.push({ id: randomUUID(), kind, webhookIds, url, body, headers, attempts: 0, nextAttemptMs: this.clock.nowMs(), outcome: 'pending', lastStatus: null });
  }

  /** Attempts every delivery due now (one pass at a time) and waits for the answers. */
  runDue(): Promise<void> {
    this.running ??= (async () => {
      const now = this.clock.nowMs();
      const due = this.records.filter((r) => r.outcome === 'pending' && r.nextAttemptMs <= now);
      await Promise.all(due.map((r) => this.attempt(r)));
    })().finally(() => (this.running = undefined));
    return this.running;
  }

  /** Moves the clock in steps so every retry due on the way happens, then purges expired dynamic webhooks. */
  async advance(ms: number): Promise<void> {
    const end = this.clock.nowMs() + ms;
    for (;;) {
      await this.runDue();
      const next = Math.min(...this.records.filter((r) => r.outcome === 'pending').map((r) => r.nextAttemptMs), end);
      const step = Math.max(0, next - this.clock.nowMs());
      this.clock.advance(step);
      if (next >= end) break;
    }
    await this.runDue();
    this.purgeExpired();
  }

  /** Sends a past delivery again byte for byte, with the same identifier (tests de-duplication). */
  async redeliver(id: string): Promise<DeliveryRecord | undefined> {
    const r = this.records.find((x) => x.id === id);
    if (!r) return undefined;
    r.outcome = 'pending';
    await this.attempt(r);
    return { ...r };
  }

  private async attempt(r: DeliveryRecord): Promise<void> {
    const retry: Record<string, string> = r.attempts > 0 ? { 'X-Atlassian-Webhook-Retry': String(r.attempts) } : {};
    r.attempts += 1;
    let status: number | null = null;
    try {
      const res = await fetch(r.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Atlassian-Webhook-Identifier': r.id, 'X-Atlassian-Webhook-Flow': 'Primary', ...r.headers, ...retry },
        body: r.body,
        signal: AbortSignal.timeout(this.settings.deliveryTimeoutMs),
      });
      await res.arrayBuffer().catch(() => undefined);
      status = res.status;
    } catch {
      status = null;
    }
    r.lastStatus = status;
    if (status !== null && status >= 200 && status < 300) return void (r.outcome = 'delivered');
    const retryable = status === null || status >= 500 || RETRY_STATUSES.has(status);
    if (!retryable || r.attempts > this.settings.maxRetries) return void (r.outcome = 'failed');
    r.nextAttemptMs = this.clock.nowMs() + this.settings.backoffBaseMs * 2 ** (r.attempts - 1);
  }
}
