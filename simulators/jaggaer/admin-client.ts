import { LoggingSimAdminClient } from '../kit/admin-client';
import type { SimResource } from './resources';
import type { SeedRequest, SeedResult } from './seed';

export interface SimLine {
  description?: string;
  quantity?: number;
  unitPrice?: number;
  uom?: string;
  accountCode?: string;
}

/** Typed client for the simulator's `/__admin` surface, used by tests, the demo and benchmarks. */
export class JaggaerSimAdmin extends LoggingSimAdminClient {
  constructor(rootUrl: string) {
    super(rootUrl, 'jaggaer');
  }

  seed(request: SeedRequest = {}): Promise<SeedResult> {
    return this.call('POST', '/seed', request);
  }
  reset(): Promise<void> {
    return this.call('POST', '/reset');
  }
  setFaults(faults: Record<string, unknown>): Promise<unknown> {
    return this.call('PUT', '/faults', faults);
  }
  /** The next `count` API calls (of `method`, if given) answer HTTP 200 with this non-zero returnCode. */
  setReturnCodeFault(fault: { count: number; returnCode: number; returnMessage?: string; method?: 'GET' | 'POST' }): Promise<unknown> {
    return this.call('PUT', '/faults/return-code', fault);
  }
  advanceClock(ms: number): Promise<{ now: string }> {
    return this.call('POST', '/clock/advance', { ms });
  }
  setSettings(settings: { pageSize?: number; token?: { accessTokenLifetimeSeconds?: number; latencyMs?: number } }): Promise<unknown> {
    return this.call('PUT', '/settings', settings);
  }
  registerClient(client: { clientId?: string; clientSecret?: string } = {}): Promise<{ clientId: string; clientSecret: string }> {
    return this.call('POST', '/clients', client);
  }
  /** Every live access token stops working now (the client credentials still do). */
  expireTokens(): Promise<{ expired: number }> {
    return this.call('POST', '/tokens/expire');
  }
  tokenStats(): Promise<{ issued: number; refused: number; live: number }> {
    return this.call('GET', '/token-stats');
  }
  addSupplier(input: { companyName: string; extCode?: string; dunsNumber?: string; status?: string }): Promise<Record<string, unknown>> {
    return this.call('POST', '/suppliers', input);
  }
  addPurchaseOrder(input: { supplierNumber: string; requisitionNumber?: string; status?: string; businessUnit?: string; lines?: SimLine[] }): Promise<Record<string, unknown>> {
    return this.call('POST', '/purchase-orders', input);
  }
  addInvoice(input: { supplierNumber: string; purchaseOrderNumber?: string; total?: number; businessUnit?: string; lines?: SimLine[] }): Promise<Record<string, unknown>> {
    return this.call('POST', '/invoices', input);
  }
  /** An account code keyed in JAGGAER by hand. */
  addAccount(input: { code: string; description?: string; status?: 'ACTIVE' | 'INACTIVE' }): Promise<Record<string, unknown>> {
    return this.call('POST', '/accounts', input);
  }
  async records(resource: SimResource): Promise<Record<string, unknown>[]> {
    return (await this.call<{ data: Record<string, unknown>[] }>('GET', `/records/${resource}`)).data;
  }
  /** A user's edit in JAGGAER: sets values at dot paths and moves the record's last-modified time to now. */
  patchRecord(resource: SimResource, id: number | string, set: Record<string, unknown>): Promise<Record<string, unknown>> {
    return this.call('PATCH', `/records/${resource}/${id}`, { set });
  }
}
