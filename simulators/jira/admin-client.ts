import { LoggingSimAdminClient } from '../kit/admin-client';
import type { Faults } from '../kit/faults';
import type { RateLimitSettings, RateLimitStats } from './rate-limits';
import type { SeedInput, SeedResult } from './seed';
import type { SimAdminWebhook, SimDynamicWebhook } from './store';
import type { DeliveryRecord, WebhookSettings } from './webhook-engine';

export interface AdminIssue {
  id: string;
  key: string;
  fields: Record<string, unknown>;
  properties: Record<string, unknown>;
  comments: unknown[];
}

/** Typed client for the Jira simulator's `/__admin` surface (tests, demo, bench). */
export class JiraAdminClient extends LoggingSimAdminClient {
  constructor(rootUrl: string) {
    super(rootUrl, 'jira');
  }

  seed(input: SeedInput = {}): Promise<SeedResult> {
    return this.call('POST', '/seed', input);
  }
  setFaults(faults: Partial<Faults>): Promise<Faults> {
    return this.call('PUT', '/faults', faults);
  }
  async advanceClock(ms: number): Promise<Date> {
    return new Date((await this.call<{ now: string }>('POST', '/clock/advance', { ms })).now);
  }
  async now(): Promise<Date> {
    return new Date((await this.call<{ now: string }>('GET', '/clock')).now);
  }
  setRateLimits(settings: Partial<RateLimitSettings>): Promise<RateLimitSettings> {
    return this.call('PUT', '/rate-limits', settings);
  }
  rateLimitStats(): Promise<RateLimitStats> {
    return this.call('GET', '/rate-limits/stats');
  }
  resetRateLimitStats(): Promise<void> {
    return this.call('DELETE', '/rate-limits/stats');
  }
  settings(input: { webhooks?: Partial<WebhookSettings>; auth?: { apiTokenExpiresAtMs: number | null }; oauth?: { accessTokenTtlSeconds?: number } }): Promise<unknown> {
    return this.call('PUT', '/settings', input);
  }
  registerOAuthClient(input: { clientId?: string; clientSecret?: string } = {}): Promise<{ clientId: string; clientSecret: string }> {
    return this.call('POST', '/oauth/clients', input);
  }
  authorizeOAuth(clientId: string): Promise<{ refreshToken: string; accessToken: string; expiresIn: number }> {
    return this.call('POST', '/oauth/authorize', { clientId });
  }
  oauthStats(): Promise<{ granted: number; refused: number }> {
    return this.call('GET', '/oauth/stats');
  }
  /** Every live OAuth access token expires now (the newest refresh token stays good); how many did. */
  expireOAuthTokens(): Promise<{ expired: number }> {
    return this.call('POST', '/oauth/expire');
  }
  async issues(): Promise<AdminIssue[]> {
    return (await this.call<{ issues: AdminIssue[] }>('GET', '/issues')).issues;
  }
  /** A person edits fields in the Jira UI (fires jira:issue_updated). */
  editIssue(key: string, fields: Record<string, unknown>): Promise<unknown> {
    return this.call('PUT', `/issues/${key}`, { fields });
  }
  /** A person deletes the issue in the Jira UI (fires jira:issue_deleted). */
  deleteIssue(key: string): Promise<void> {
    return this.call('DELETE', `/issues/${key}`);
  }
  webhooks(): Promise<{ dynamic: SimDynamicWebhook[]; admin: Omit<SimAdminWebhook, 'secret'>[] }> {
    return this.call('GET', '/webhooks');
  }
  async createAdminWebhook(input: { url: string; events: string[]; secret?: string; jqlFilter?: string }): Promise<number> {
    return (await this.call<{ id: number }>('POST', '/webhooks/admin', input)).id;
  }
  async flushDeliveries(): Promise<DeliveryRecord[]> {
    return (await this.call<{ deliveries: DeliveryRecord[] }>('POST', '/webhooks/flush')).deliveries;
  }
  async deliveries(): Promise<DeliveryRecord[]> {
    return (await this.call<{ deliveries: DeliveryRecord[] }>('GET', '/deliveries')).deliveries;
  }
  redeliver(id: string): Promise<DeliveryRecord> {
    return this.call('POST', `/deliveries/${id}/redeliver`);
  }
}
