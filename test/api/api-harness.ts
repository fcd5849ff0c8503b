import { randomBytes } from 'node:crypto';
import { Ajv2020 } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { type Client } from '@temporalio/client';
import { createApp } from '../../api/app';
import { createApiKey } from '../../api/auth/create-api-key';
import { openApiDocument } from '../../api/openapi';
import { type Db } from '../../db/pool';
import { createLogger, type Logger } from '../../core/logger';
import { listen, type Listening } from '../../core/listen';
import { type RunningAsanaSimulator, type SeedResult } from '../../simulators/asana';
import { type startPeopleSoftSimulator } from '../../simulators/peoplesoft';
import { type PeopleSoftSimAdmin } from '../../simulators/peoplesoft/admin-client';
import { pairConfig, startProductWorker } from '../pairs/pair-harness';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { testMasterKey } from '../support/env';
import { testClient, uniqueTaskQueue } from '../support/temporal';
import { startPairSimulators } from '../../pairs/peoplesoft-asana/demo-world';
import { type WorkerProcess } from '../support/worker-process';

/** Secrets no response, log line or history may ever contain: distinctive so a search cannot miss them. */
export const CANARY = {
  oprid: 'CANARYUSER',
  password: `canary-ps-${randomBytes(8).toString('hex')}`,
};

/**
 * The API on a real Temporal server and PostgreSQL, both partner simulators, and (when started) the product's
 * worker in its own process. Every response goes through `call`, which checks it against /openapi.json.
 */
export class ApiScenario {
  readonly taskQueue = uniqueTaskQueue('api');
  readonly masterKey = testMasterKey();
  readonly logLines: string[] = [];
  readonly responses: string[] = [];
  ps!: Awaited<ReturnType<typeof startPeopleSoftSimulator>>;
  psAdmin!: PeopleSoftSimAdmin;
  asana!: RunningAsanaSimulator;
  world!: SeedResult;
  api!: Listening;
  adminKey!: string;
  worker?: WorkerProcess;
  private readonly validator = new OpenApiValidator(openApiDocument());

  constructor(
    readonly client: Client,
    readonly pool: Db,
  ) {}

  async setup(counts: { voucher: number; requisition: number }): Promise<void> {
    ({ ps: this.ps, psAdmin: this.psAdmin, asana: this.asana, world: this.world } = await startPairSimulators(counts));
    await this.psAdmin.putUser(CANARY.oprid, { password: CANARY.password, operations: '*' });
    // Captured for the canary test: every line the API logs, with production's redaction settings.
    const logger: Logger = createLogger('info', 'api', { write: (line: string) => void this.logLines.push(line) });
    this.api = await listen(
      createApp({ pool: this.pool, temporal: this.client, logger, taskQueue: this.taskQueue, masterKey: this.masterKey, temporalUiUrl: 'http://ui.test:8233' }),
    );
    this.adminKey = (await createApiKey(this.pool, { kind: 'admin' }, 'tests')).key;
  }

  /** A connection body as a platform engineer would write it, with canary credentials. */
  connectionBody(id: string, customerId = 'acme'): Record<string, unknown> {
    return {
      pair: 'peoplesoft-asana',
      id,
      customerId,
      config: pairConfig(this.world, this.ps.baseUrl, this.asana.apiUrl, this.api.baseUrl),
      credentials: { peoplesoft: { method: 'basic', oprid: CANARY.oprid, password: CANARY.password }, asana: { method: 'pat', token: this.asanaToken } },
    };
  }

  get asanaToken(): string {
    return this.world.users[0]!.token;
  }

  /** The product worker in its own process; `logLevel` defaults to warn (the canary test reads info lines too). */
  async startWorker(logLevel = 'warn'): Promise<void> {
    this.worker = await startProductWorker({ pool: this.pool, taskQueue: this.taskQueue, masterKey: this.masterKey, logLevel });
  }

  /** One API call, checked against the OpenAPI document (request body and response). */
  async call(method: string, url: string, opts: { body?: unknown; key?: string | null; raw?: string } = {}): Promise<{ status: number; body: ResponseBody }> {
    const key = opts.key === undefined ? this.adminKey : opts.key;
    const res = await fetch(`${this.api.baseUrl}${url}`, {
      method,
      headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(opts.body !== undefined || opts.raw ? { 'content-type': 'application/json' } : {}) },
      body: opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
    });
    const text = await res.text();
    this.responses.push(text);
    const body = text ? JSON.parse(text) : undefined;
    this.validator.checkResponse(method, url, res.status, body);
    return { status: res.status, body };
  }

  /** For tests that mean to send a valid body: fails when the document would reject it. */
  checkRequest(method: string, url: string, body: unknown): void {
    this.validator.checkRequest(method, url, body);
  }

  async stop(): Promise<void> {
    await this.worker?.stop();
    await this.api?.close();
    await this.asana?.close();
    await this.ps?.close();
  }
}

// The document and response bodies are validated by ajv first; reading them loosely afterwards is safe.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ResponseBody = any;

/** Finds the operation for a concrete URL and validates bodies with ajv against the generated document. */
export class OpenApiValidator {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  constructor(readonly doc: Json) {
    addFormats(this.ajv);
  }

  private operation(method: string, url: string): { path: string; op: Json } | undefined {
    const pathname = new URL(url, 'http://x').pathname;
    for (const [template, ops] of Object.entries(this.doc.paths as Json)) {
      const re = new RegExp(`^${template.replace(/\{\w+\}/g, '[^/]+')}$`);
      const op = (ops as Json)[method.toLowerCase()];
      if (re.test(pathname) && op) return { path: template, op };
    }
    return undefined;
  }

  checkResponse(method: string, url: string, status: number, body: unknown): void {
    const found = this.operation(method, url);
    if (!found) return; // health, openapi.json, webhooks, unknown routes: not part of the /v1 contract
    const schema = found.op.responses?.[String(status)]?.content?.['application/json']?.schema;
    if (!schema) throw new Error(`${method} ${found.path} answered ${status}, which the OpenAPI document does not list`);
    if (!this.ajv.validate(schema, body)) throw new Error(`${method} ${found.path} ${status} does not match the OpenAPI document: ${this.ajv.errorsText()}\n${JSON.stringify(body).slice(0, 500)}`);
  }

  checkRequest(method: string, url: string, body: unknown): void {
    const found = this.operation(method, url);
    const schema = found?.op.requestBody?.content?.['application/json']?.schema;
    if (!schema) throw new Error(`${method} ${url} has no request body in the OpenAPI document`);
    if (!this.ajv.validate(schema, body)) throw new Error(`request to ${method} ${found!.path} does not match the OpenAPI document: ${this.ajv.errorsText()}`);
  }
}

/** One test file's world: its own database, a Temporal client, both simulators and the API (see ApiScenario). */
export async function openApiScenario(label: string, counts: { voucher: number; requisition: number }): Promise<{ db: TestDatabase; client: Client; s: ApiScenario }> {
  const db = await createTestDatabase(label);
  const client = await testClient();
  const s = new ApiScenario(client, db.pool);
  await s.setup(counts);
  return { db, client, s };
}

/** Undoes openApiScenario, stopping the given workflows first; safe after a setup that failed half-way. */
export async function closeApiScenario(parts: { db?: TestDatabase; client?: Client; s?: ApiScenario }, workflowIds: string[]): Promise<void> {
  for (const id of workflowIds) await parts.client?.workflow.getHandle(id).terminate('test finished').catch(() => undefined);
  await parts.s?.stop();
  await parts.client?.connection.close();
  await parts.db?.drop();
}
