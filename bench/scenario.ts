/**
 * The PeopleSoft <-> Asana world a benchmark runs against: both simulators in this process, the product's API (it
 * receives Asana's webhooks and signals the workflows) and connections inserted as the API would store them.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { type Pool } from 'pg';
import { createApp } from '../api/app';
import { PAIR, WORKFLOW_TYPE } from '../pairs/peoplesoft-asana/config';
import { syncInputFor } from '../pairs/derive';
import { syncStartOptions } from '../core/sync-start';
import { getConnection, insertConnection, putCredentials } from '../db/connections';
import { CredentialCipher } from '../db/credential-cipher';
import { createLogger } from '../core/logger';
import { startAsanaSimulator, type RunningAsanaSimulator, type SeedResult } from '../simulators/asana';
import { APPROVAL_FIELDS, APPROVAL_USERS, pairConfig } from '../pairs/peoplesoft-asana/demo-world';
import { DEMO_OPRID, DEMO_PASSWORD, startPeopleSoftSimulator } from '../simulators/peoplesoft';
import { PeopleSoftSimAdmin } from '../simulators/peoplesoft/admin-client';
import { type Services } from './harness';

export class Scenario {
  readonly masterKey: string;
  readonly cipher: CredentialCipher;
  ps!: Awaited<ReturnType<typeof startPeopleSoftSimulator>>;
  psAdmin!: PeopleSoftSimAdmin;
  asana!: RunningAsanaSimulator;
  world!: SeedResult;
  api!: Server;
  apiUrl!: string;
  /** x-hook-signature -> when our API finished answering that delivery (the "accepted" instant of P5). */
  readonly acceptedAt = new Map<string, number>();

  constructor(
    readonly services: Services,
    readonly pool: Pool,
    readonly databaseUrl: string,
    readonly taskQueue: string,
  ) {
    this.masterKey = services.masterKey;
    this.cipher = new CredentialCipher(this.masterKey);
  }

  /** `extraUsers` adds that many Asana users (one token each), so many connections need not share one token. */
  async setup(opts: { vouchers: number; requisitions?: number; allPending?: boolean; extraUsers?: number }): Promise<void> {
    this.ps = await startPeopleSoftSimulator({ port: 0 });
    this.psAdmin = new PeopleSoftSimAdmin(this.ps.baseUrl);
    await this.psAdmin.setConfig({ slowQuery: { msPerDay: 0, maxMs: 0 } });
    await this.psAdmin.seed({ recordsPerObject: 0, counts: { voucher: opts.vouchers, requisition: opts.requisitions ?? 0 } });
    if (opts.allPending) {
      // An approval queue: every document waits for a decision, so every task can be completed once (P5).
      const store = this.ps.state.store;
      for (const row of store.all('voucher')) store.insert('voucher', { ...row, APPR_STATUS: 'P' }, String(row.LASTUPDDTTM));
    }
    this.asana = await startAsanaSimulator({ port: 0 });
    const extra = Array.from({ length: opts.extraUsers ?? 0 }, (_, i) => ({ name: `Tenant ${i}`, email: `tenant${i}@example.com` }));
    this.world = await this.asana.admin.seed({ users: [...APPROVAL_USERS, ...extra], customFields: APPROVAL_FIELDS });
    const app = createApp({ pool: this.pool, temporal: this.services.client, logger: createLogger('silent', 'api'), taskQueue: this.taskQueue, masterKey: this.masterKey });
    this.api = createServer((req, res) => {
      const signature = req.headers['x-hook-signature'];
      if (typeof signature === 'string') res.once('finish', () => res.statusCode === 200 && this.acceptedAt.set(signature, Date.now()));
      app(req, res);
    });
    await new Promise<void>((resolve) => this.api.listen(0, '127.0.0.1', resolve));
    this.apiUrl = `http://127.0.0.1:${(this.api.address() as AddressInfo).port}`;
  }

  token(userIndex = 0): string {
    return this.world.users[userIndex]!.token;
  }

  /** Inserts a connection (config as the demo mapping, `schedule` overridden) and starts its workflow. */
  async connect(opts: { schedule: string; userIndex?: number; id?: string; taskQueue?: string }): Promise<string> {
    const id = opts.id ?? randomUUID();
    const config = { ...pairConfig(this.world, this.ps.baseUrl, this.asana.apiUrl, this.apiUrl), schedule: opts.schedule };
    await insertConnection(this.pool, { id, customerId: `bench-${id.slice(0, 8)}`, pair: PAIR, config: config as Record<string, unknown> });
    await putCredentials(this.pool, this.cipher, id, 'peoplesoft', { method: 'basic', oprid: DEMO_OPRID, password: DEMO_PASSWORD });
    await putCredentials(this.pool, this.cipher, id, 'asana', { method: 'pat', token: this.token(opts.userIndex ?? 0) });
    const row = (await getConnection(this.pool, id))!;
    const handle = await this.services.client.workflow.start(WORKFLOW_TYPE, syncStartOptions(syncInputFor(row), opts.taskQueue ?? this.taskQueue));
    return handle.workflowId;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.api?.close(resolve));
    await this.asana?.close();
    await this.ps?.close();
  }
}
