import { SimAdminClient } from '../kit/admin-client';
import { type z } from 'zod';
import { type faultsSchema } from '../kit/faults';
import { type SeedRequest } from './seed';
import { type GatewayConfig } from './state';
import { type Effect } from './store';
import { type Row, type TableName } from './tables';

/** Typed client for the simulator's `/__admin` surface, used by tests, the demo and benchmarks. */
export class PeopleSoftSimAdmin extends SimAdminClient {
  constructor(rootUrl: string) {
    super(rootUrl, 'peoplesoft');
  }

  async seed(request: SeedRequest = {}): Promise<Record<TableName, number>> {
    return (await this.call<{ counts: Record<TableName, number> }>('POST', '/seed', request)).counts;
  }
  async reset(): Promise<void> {
    await this.call('POST', '/reset');
  }
  async rows(table: TableName): Promise<Row[]> {
    return (await this.call<{ rows: Row[] }>('GET', `/rows/${table}`)).rows;
  }
  /** Simulates a user adding a row in PeopleSoft (409 when its keys exist): LASTUPDDTTM is the simulator clock's now. */
  async insertRow(table: TableName, row: Record<string, string | number>): Promise<Row> {
    return (await this.call<{ row: Row }>('POST', `/rows/${table}`, { row })).row;
  }
  /** Simulates a user editing the row in PeopleSoft: LASTUPDDTTM moves to the simulator clock's now. */
  async updateRow(table: TableName, keys: Record<string, string | number>, set: Record<string, string | number | Record<string, string | number>[]>, lastUpdated?: string): Promise<Row> {
    return (await this.call<{ row: Row }>('PATCH', `/rows/${table}`, { keys, set, ...(lastUpdated ? { lastUpdated } : {}) })).row;
  }
  /** Simulates a user deleting the row in PeopleSoft. */
  async deleteRow(table: TableName, keys: Record<string, string | number>): Promise<void> {
    await this.call('DELETE', `/rows/${table}`, { keys });
  }
  async effects(): Promise<Effect[]> {
    return (await this.call<{ effects: Effect[] }>('GET', '/effects')).effects;
  }
  async setOperationActive(operation: string, active: boolean): Promise<void> {
    await this.call('PUT', `/operations/${encodeURIComponent(operation)}`, { active });
  }
  async setConfig(config: Partial<GatewayConfig>): Promise<GatewayConfig> {
    return this.call<GatewayConfig>('PUT', '/config', config);
  }
  async putUser(oprid: string, user: { password: string; operations: '*' | string[] }): Promise<void> {
    await this.call('PUT', `/users/${encodeURIComponent(oprid)}`, user);
  }
  async mintToken(oprid: string, expiresInSeconds = 3600): Promise<string> {
    return (await this.call<{ access_token: string }>('POST', '/oauth/tokens', { oprid, expiresInSeconds })).access_token;
  }
  /** A client at the stand-in IdP; its token URL is `${baseUrl}/idp/oauth2/token`. */
  async registerIdpClient(client: { oprid: string; clientId?: string; clientSecret?: string; expiresInSeconds?: number; scope?: string }): Promise<{ clientId: string; clientSecret: string; expiresInSeconds: number }> {
    return this.call('POST', '/idp/clients', client);
  }
  /** Tokens the IdP issued so far. */
  async idpStats(): Promise<{ issued: number }> {
    return this.call('GET', '/idp/stats');
  }
  /** Every live bearer token (IdP-issued or minted) expires now; how many did. */
  async expireTokens(): Promise<{ expired: number }> {
    return this.call('POST', '/oauth/tokens/expire');
  }
  async setFaults(faults: z.input<typeof faultsSchema>): Promise<void> {
    await this.call('PUT', '/faults', faults);
  }
  async faults(): Promise<{ injected: { errors: number; drops: number; tooManyRequests: number } }> {
    return this.call('GET', '/faults');
  }
  async advanceClock(advanceMs: number): Promise<string> {
    return (await this.call<{ now: string }>('POST', '/clock', { advanceMs })).now;
  }
  /** The database server's clock `skewMs` off ours (+ ahead, - behind); saves stamp LASTUPDDTTM from it. */
  async setClockSkew(skewMs: number): Promise<string> {
    return (await this.call<{ now: string }>('PUT', '/clock/skew', { skewMs })).now;
  }
  async now(): Promise<string> {
    return (await this.call<{ now: string }>('GET', '/clock')).now;
  }
  /** Requests that reached the gateway, per service operation (upper case). */
  async requests(): Promise<Record<string, number>> {
    return (await this.call<{ requests: Record<string, number> }>('GET', '/requests')).requests;
  }
  async clearRequests(): Promise<void> {
    await this.call('DELETE', '/requests');
  }
}
