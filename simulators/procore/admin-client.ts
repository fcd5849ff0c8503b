import { LoggingSimAdminClient } from '../kit/admin-client';
import type { SeedResult } from './seed';
import type { Rec } from './store';
import type { DeliveryAttempt } from './webhook-engine';

/** Typed client for the Procore simulator's `/__admin` surface (tests, the demo). */
export class ProcoreSimAdmin extends LoggingSimAdminClient {
  constructor(rootUrl: string) {
    super(rootUrl, 'procore');
  }
  seed(input: Record<string, unknown> = {}): Promise<SeedResult> {
    return this.call('POST', '/seed', input);
  }
  registerClient(): Promise<{ clientId: string; clientSecret: string }> {
    return this.call('POST', '/clients');
  }
  setFaults(faults: Record<string, unknown>): Promise<unknown> {
    return this.call('PUT', '/faults', faults);
  }
  setRateLimits(limits: { hourly?: number; spike?: number; spikeWindowMs?: number }): Promise<unknown> {
    return this.call('PUT', '/rate-limits', limits);
  }
  rateLimits(): Promise<{ counts: { requests: number; tooManyRequests: number }; usage: { key: string; hourCount: number; hourly: number }[] }> {
    return this.call('GET', '/rate-limits');
  }
  tokenStats(): Promise<{ issued: number; refused: number }> {
    return this.call('GET', '/token-stats');
  }
  expireTokens(): Promise<{ expired: number }> {
    return this.call('POST', '/tokens/expire');
  }
  advanceClock(ms: number): Promise<{ now: string }> {
    return this.call('POST', '/clock/advance', { ms });
  }
  refuseVendors(originIds: string[], message?: string): Promise<void> {
    return this.call('PUT', '/sync-errors', { resource: 'vendors', originIds, ...(message ? { message } : {}) });
  }
  setWebhookBackoffScale(scale: number): Promise<void> {
    return this.call('PUT', '/webhooks/backoff-scale', { scale });
  }
  async webhookEvents(): Promise<string[]> {
    return (await this.call<{ data: string[] }>('GET', '/webhooks/events')).data;
  }
  async webhookEventStates(): Promise<{ id: string; hookId: string; status: string; attempts: number; retryDelaysMs: number[] }[]> {
    return (await this.call<{ data: { id: string; hookId: string; status: string; attempts: number; retryDelaysMs: number[] }[] }>('GET', '/webhooks/event-states')).data;
  }
  redeliver(eventId: string): Promise<{ redelivered: boolean }> {
    return this.call('POST', '/webhooks/redeliver', { eventId });
  }
  async deliveries(): Promise<DeliveryAttempt[]> {
    return (await this.call<{ data: DeliveryAttempt[] }>('GET', '/webhooks/deliveries')).data;
  }
  addDirectCost(projectId: string, amounts: string[]): Promise<Rec> {
    return this.call('POST', '/direct-costs', { projectId, amounts });
  }
  addChangeOrder(projectId: string, grandTotal: string): Promise<Rec> {
    return this.call('POST', '/change-orders', { projectId, grandTotal });
  }
  addCommitment(input: { projectId: string; vendorId: string; title: string; lines: { amount: string; description: string; costCodeId?: string }[] }): Promise<Rec> {
    return this.call('POST', '/commitments', input);
  }
  /** A user edits a direct cost's line amounts (refused for a cost carrying an origin_id, as Procore does). */
  editDirectCost(id: string, amounts: string[]): Promise<Rec> {
    return this.call('PATCH', `/direct-costs/${id}`, { amounts });
  }
  /** A change order with line items, each on a cost code of the project (by code) or on none. */
  addChangeOrderWithLines(projectId: string, lines: { amount: string; costCode?: string; description?: string }[]): Promise<Rec> {
    return this.call('POST', '/change-orders/with-lines', { projectId, lines });
  }
  editChangeOrder(id: string, lines: { amount: string; costCode?: string; description?: string }[]): Promise<Rec> {
    return this.call('PATCH', `/change-orders/${id}`, { lines });
  }
  async addRequisitions(requisitions: { projectId: string; commitmentId: string; status?: string; lines: { workCompletedThisPeriod: string; materialsPresentlyStored?: string; description?: string }[] }[]): Promise<Rec[]> {
    return (await this.call<{ data: Rec[] }>('POST', '/requisitions', { requisitions })).data;
  }
  addVendor(name: string, originId?: string): Promise<Rec> {
    return this.call('POST', '/vendors', { name, ...(originId ? { originId } : {}) });
  }
  setCommitmentVendor(commitmentId: string, vendorId: string): Promise<Rec> {
    return this.call('PATCH', `/commitments/${commitmentId}`, { vendorId });
  }
  async records(kind: string): Promise<Rec[]> {
    return (await this.call<{ data: Rec[] }>('GET', `/records/${kind}`)).data;
  }
}
