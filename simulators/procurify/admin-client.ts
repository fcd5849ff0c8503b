import { LoggingSimAdminClient } from '../kit/admin-client';
import type { Faults } from '../kit/faults';
import type { SeedInput, SeedResult } from './seed';

type Json = Record<string, unknown>;

/** Typed client for the Procurify simulator's `/__admin` surface (tests, the demo, benchmarks). */
export class ProcurifyAdminClient extends LoggingSimAdminClient {
  constructor(rootUrl: string) {
    super(rootUrl, 'procurify');
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
  async advanceClock(ms: number): Promise<Date> {
    return new Date((await this.call<{ now: string }>('POST', '/clock/advance', { ms })).now);
  }
  async now(): Promise<Date> {
    return new Date((await this.call<{ now: string }>('GET', '/clock')).now);
  }
  /** An API application (Settings > Integrations > API): random id and secret unless given. */
  registerClient(input: { clientId?: string; clientSecret?: string; email?: string } = {}): Promise<{ clientId: string; clientSecret: string; email: string }> {
    return this.call('POST', '/oauth/clients', input);
  }
  tokenStats(): Promise<{ granted: number; refused: number }> {
    return this.call('GET', '/oauth/stats');
  }
  /** Procurify's clock `skewMs` off ours (+ ahead, - behind). */
  async setClockSkew(skewMs: number): Promise<string> {
    return (await this.call<{ now: string }>('PUT', '/clock/skew', { skewMs })).now;
  }
  createRequisition(input: { departmentId: number; approved?: boolean; at?: string; items: { name: string; quantity: string; price: string; vendorId: number; accountId: number; unit?: string }[] }): Promise<{ order: Json & { num: number }; items: (Json & { id: number })[] }> {
    return this.call('POST', '/requisitions', input);
  }
  approveRequisition(num: number): Promise<{ order: Json }> {
    return this.call('POST', `/requisitions/${num}/approve`);
  }
  editOrderItem(id: number, input: { quantity?: string; price?: string; name?: string; accountId?: number }): Promise<{ item: Json }> {
    return this.call('PATCH', `/order-items/${id}`, input);
  }
  async addVendor(name: string, externalId?: string): Promise<Json & { id: number }> {
    return (await this.call<{ vendor: Json & { id: number } }>('POST', '/vendors', { name, ...(externalId ? { external_id: externalId } : {}) })).vendor;
  }
  async vendors(): Promise<(Json & { id: number; name: string })[]> {
    return (await this.call<{ data: (Json & { id: number; name: string })[] }>('GET', '/vendors')).data;
  }
  addAccount(accountCodeId: number, departmentId: number): Promise<{ id: number; accountCodeId: number; departmentId: number }> {
    return this.call('POST', '/accounts', { accountCodeId, departmentId });
  }
  /** A PO as a buyer creates it; `orderItemIds` are the requisition items purchased on it. */
  addPurchaseOrder(vendorId: number, total: string, orderItemIds?: number[]): Promise<{ id: number; state: number; number: string }> {
    return this.call('POST', '/purchase-orders', { vendorId, total, ...(orderItemIds ? { orderItemIds } : {}) });
  }
  async purchaseOrders(): Promise<{ id: number; state: number; closed_date: string | null }[]> {
    return (await this.call<{ data: { id: number; state: number; closed_date: string | null }[] }>('GET', '/purchase-orders')).data;
  }
}
