import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { createApp } from '../../api/app';
import { createLogger } from '../../core/logger';
import { statusQuery } from '../../core/sync-messages';
import { syncStartOptions } from '../../core/sync-start';
import type { SyncStatus } from '../../core/sync-types';
import { getConnection, insertConnection, putCredentials } from '../../db/connections';
import { CredentialCipher } from '../../db/credential-cipher';
import type { Db } from '../../db/pool';
import { pairOf, syncInputFor } from '../../pairs/derive';
import { PAIR } from '../../pairs/peoplesoft-jira/config';
import { jiraPairConfig } from '../../pairs/peoplesoft-jira/demo-world';
import { webhookTarget } from '../../pairs/peoplesoft-jira/webhook-housekeeping';
import { startJiraSimulator, type RunningJiraSimulator } from '../../simulators/jira';
import type { AdminIssue } from '../../simulators/jira/admin-client';
import { DEMO_OPRID, DEMO_PASSWORD, startPeopleSoftSimulator } from '../../simulators/peoplesoft';
import { PeopleSoftSimAdmin } from '../../simulators/peoplesoft/admin-client';
import { testMasterKey } from '../support/env';
import { uniqueTaskQueue } from '../support/temporal';
import { eventually, type WorkerProcess } from '../support/worker-process';
import { startProductWorker } from './pair-harness';

/** Both simulators, the API (Jira webhooks land there) and one peoplesoft-jira connection, for the pair's suites. */
export class JiraPairScenario {
  readonly connectionId = `jira-${randomUUID().slice(0, 8)}`;
  readonly masterKey = testMasterKey();
  readonly taskQueue = uniqueTaskQueue('pair-jira');
  readonly secret = randomBytes(24).toString('hex');
  ps!: Awaited<ReturnType<typeof startPeopleSoftSimulator>>;
  psAdmin!: PeopleSoftSimAdmin;
  jira!: RunningJiraSimulator;
  api!: Server;
  apiUrl = '';
  worker?: WorkerProcess;
  /** The OAuth app of an `oauth2` scenario (its hourly points quota is shared by every grant of the app). */
  oauthClientId?: string;
  handle?: WorkflowHandle;

  constructor(
    readonly client: Client,
    readonly pool: Db,
  ) {}

  /**
   * `basic`: email + API token, deliveries from an admin webhook with a secret. `oauth2`: a 3LO app through the
   * gateway (its traffic is what Jira's hourly points quota counts), deliveries from the dynamic webhook the pair's
   * housekeeping registers on the first poll, signed with a JWT.
   */
  async setup(counts: { purchaseOrder: number; requisition: number; voucher: number }, auth: 'basic' | 'oauth2' = 'basic'): Promise<void> {
    this.ps = await startPeopleSoftSimulator({ port: 0 });
    this.psAdmin = new PeopleSoftSimAdmin(this.ps.baseUrl);
    await this.psAdmin.setConfig({ slowQuery: { msPerDay: 0, maxMs: 0 } });
    await this.psAdmin.seed({ recordsPerObject: 0, counts: { vendor: 25, ...counts } });
    this.jira = await startJiraSimulator();
    const app = createApp({ pool: this.pool, temporal: this.client, logger: createLogger('silent', 'api'), taskQueue: this.taskQueue, masterKey: this.masterKey });
    this.api = createServer(app);
    await new Promise<void>((r) => this.api.listen(0, '127.0.0.1', r));
    this.apiUrl = `http://127.0.0.1:${(this.api.address() as AddressInfo).port}`;
    const cipher = new CredentialCipher(this.masterKey);
    const id = this.connectionId;
    const config = jiraPairConfig(this.ps.baseUrl, this.jira.siteUrl, this.apiUrl);
    let jira: Record<string, unknown> = { method: 'basic', email: this.jira.world.user.email, apiToken: this.jira.world.user.apiToken };
    if (auth === 'oauth2') {
      const oauthApp = await this.jira.admin.registerOAuthClient();
      this.oauthClientId = oauthApp.clientId;
      const grant = await this.jira.admin.authorizeOAuth(oauthApp.clientId);
      config.jira = { siteUrl: this.jira.siteUrl, gatewayUrl: this.jira.gatewayUrl, tokenUrl: this.jira.tokenUrl, projectKey: 'PROC' };
      jira = { method: 'oauth2', clientId: oauthApp.clientId, clientSecret: oauthApp.clientSecret, refreshToken: grant.refreshToken, accessToken: grant.accessToken };
    } else {
      await this.jira.admin.createAdminWebhook({ url: webhookTarget(this.apiUrl, id), events: ['jira:issue_updated', 'jira:issue_deleted'], secret: this.secret, jqlFilter: 'project = PROC' });
    }
    await insertConnection(this.pool, { id, customerId: 'acme-procurement', pair: PAIR, config: config as Record<string, unknown> });
    await putCredentials(this.pool, cipher, id, 'peoplesoft', { method: 'basic', oprid: DEMO_OPRID, password: DEMO_PASSWORD });
    await putCredentials(this.pool, cipher, id, 'jira', jira);
    await putCredentials(this.pool, cipher, id, 'jiraWebhook', { secret: this.secret });
  }

  async startWorker(): Promise<void> {
    this.worker = await startProductWorker({ pool: this.pool, taskQueue: this.taskQueue, masterKey: this.masterKey });
  }

  async startWorkflow(): Promise<WorkflowHandle> {
    const connection = (await getConnection(this.pool, this.connectionId))!;
    this.handle = await this.client.workflow.start(pairOf(PAIR).workflowType, syncStartOptions(syncInputFor(connection), this.taskQueue));
    return this.handle;
  }

  status(): Promise<SyncStatus> {
    return this.handle!.query(statusQuery);
  }

  async pollAndWait(): Promise<SyncStatus> {
    const before = (await this.status()).totals.polls;
    await this.handle!.signal('pollNow');
    return eventually(async () => {
      const s = await this.status();
      return s.totals.polls > before && s.state === 'idle' && s;
    }, 120_000, 'a finished poll');
  }

  field(name: string): string {
    return this.jira.world.customFields.find((f) => f.name === name)!.id;
  }

  /** Issues by the record key in their External Key field (several under one key would be duplicates). */
  async issuesByKey(): Promise<Map<string, AdminIssue[]>> {
    const out = new Map<string, AdminIssue[]>();
    for (const i of await this.jira.admin.issues()) {
      const k = String(i.fields[this.field('External Key')]);
      out.set(k, [...(out.get(k) ?? []), i]);
    }
    return out;
  }

  async stop(): Promise<void> {
    await this.handle?.terminate('test finished').catch(() => undefined);
    await this.worker?.stop();
    await new Promise((r) => this.api?.close(r));
    await this.jira?.close();
    await this.ps?.close();
  }
}
