import { LoggingSimAdminClient } from '../kit/admin-client';
import type { Faults } from '../kit/faults';
import type { RateLimitSettings } from './rate-limits';
import type { OAuthSettings } from './oauth';
import type { SeedInput, SeedResult } from './seed';
import type { DeliveryRecord, WebhookSettings } from './webhook-engine';

type Json = Record<string, unknown>;

/** Typed client for the simulator's `/__admin` surface, for tests, the demo and the benchmarks. */
export class AsanaAdminClient extends LoggingSimAdminClient {
  constructor(rootUrl: string) {
    super(rootUrl, 'asana');
  }

  seed(input: SeedInput = {}): Promise<SeedResult> {
    return this.call('POST', '/seed', input);
  }
  setFaults(faults: Partial<Faults>): Promise<Faults> {
    return this.call('PUT', '/faults', faults);
  }
  faults(): Promise<Faults & { injected: { errors: number; drops: number; tooManyRequests: number } }> {
    return this.call('GET', '/faults');
  }
  /** A workspace admin invites a user (no token: the user only exists to be assigned). */
  addWorkspaceUser(workspaceGid: string, user: { name: string; email: string }): Promise<{ gid: string; name: string; email: string }> {
    return this.call('POST', `/workspaces/${workspaceGid}/users`, user);
  }
  /** A project in an existing workspace (no custom fields). */
  createProject(workspaceGid: string, name: string): Promise<{ gid: string; name: string }> {
    return this.call('POST', `/workspaces/${workspaceGid}/projects`, { name });
  }
  /** The user changes their name or email. */
  updateUser(userGid: string, change: { name?: string; email?: string }): Promise<{ gid: string; name: string; email: string }> {
    return this.call('PATCH', `/users/${userGid}`, change);
  }
  /** A workspace admin removes the user from the workspace. */
  async removeWorkspaceUser(workspaceGid: string, userGid: string): Promise<void> {
    await this.call('DELETE', `/workspaces/${workspaceGid}/users/${userGid}`);
  }
  async now(): Promise<Date> {
    return new Date((await this.call<{ now: string }>('GET', '/clock')).now);
  }
  /** Moves the simulator clock; webhook retries, heartbeats and deletions due on the way happen before it returns. */
  async advanceClock(ms: number): Promise<Date> {
    return new Date((await this.call<{ now: string }>('POST', '/clock/advance', { ms })).now);
  }
  setRateLimits(settings: Partial<RateLimitSettings>): Promise<RateLimitSettings> {
    return this.call('PUT', '/rate-limits', settings);
  }
  rateLimitStats(): Promise<
    Record<string, { inFlight: { read: number; write: number }; maxInFlight: { read: number; write: number }; rejected: { perMinute: number; concurrency: number }; inLastMinute: number }>
  > {
    return this.call('GET', '/rate-limits/stats');
  }
  resetRateLimitStats(): Promise<void> {
    return this.call('DELETE', '/rate-limits/stats');
  }
  settings(
    input: { webhooks?: Partial<WebhookSettings>; pagination?: { offsetTtlMs?: number; unpaginatedMax?: number }; oauth?: Partial<OAuthSettings> } = {},
  ): Promise<{ webhooks: WebhookSettings; pagination: { offsetTtlMs: number; unpaginatedMax: number }; oauth: OAuthSettings }> {
    return this.call('PUT', '/settings', input);
  }
  /** Registers an OAuth app (random id and secret unless given). */
  registerOAuthClient(input: { clientId?: string; clientSecret?: string } = {}): Promise<{ clientId: string; clientSecret: string }> {
    return this.call('POST', '/oauth/clients', input);
  }
  /** A user authorizes the app (default: the first seeded user): the refresh token and first access token it gets. */
  authorizeOAuth(clientId: string, userGid?: string): Promise<{ refreshToken: string; accessToken: string; expiresIn: number; userGid: string }> {
    return this.call('POST', '/oauth/authorize', { clientId, ...(userGid ? { userGid } : {}) });
  }
  /** The user takes the app's access away: the refresh token and its access tokens stop working. */
  async revokeOAuth(refreshToken: string): Promise<boolean> {
    return (await this.call<{ revoked: boolean }>('POST', '/oauth/revoke', { refreshToken })).revoked;
  }
  /** Refresh grants answered and refused by the token endpoint. */
  oauthStats(): Promise<{ granted: number; refused: number }> {
    return this.call('GET', '/oauth/stats');
  }

  /** Every live OAuth access token expires now (refresh tokens stay good); how many did. */
  expireOAuthTokens(): Promise<{ expired: number }> {
    return this.call('POST', '/oauth/expire');
  }
  async tasks(): Promise<Json[]> {
    return (await this.call<{ data: Json[] }>('GET', '/tasks')).data;
  }
  /** Completes (or reopens) a task as a person in the Asana UI would, generating webhook events. */
  async completeTask(taskGid: string, completed = true, userGid?: string): Promise<Json> {
    return (await this.call<{ data: Json }>('POST', `/tasks/${taskGid}/complete`, { completed, ...(userGid ? { userGid } : {}) })).data;
  }
  async webhooks(): Promise<(Json & { gid: string; pendingEvents: number })[]> {
    return (await this.call<{ data: (Json & { gid: string; pendingEvents: number })[] }>('GET', '/webhooks')).data;
  }
  /** Attempts every delivery due now and waits for the answers. */
  async flushDeliveries(): Promise<DeliveryRecord[]> {
    return (await this.call<{ deliveries: DeliveryRecord[] }>('POST', '/webhooks/flush')).deliveries;
  }
  async deliveries(): Promise<DeliveryRecord[]> {
    return (await this.call<{ data: DeliveryRecord[] }>('GET', '/deliveries')).data;
  }
  /** Sends a past delivery again, byte for byte (tests duplicate handling). */
  redeliver(id: number): Promise<DeliveryRecord> {
    return this.call('POST', `/deliveries/${id}/redeliver`);
  }
}
