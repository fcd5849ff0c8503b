import fc from 'fast-check';
import { type Client } from '@temporalio/client';
import { createApiKey } from '../../api/auth/create-api-key';
import { syncWorkflowId } from '../../core/sync-messages';
import { type TestDatabase } from '../support/database';
import { checkOne, requestArb, targetsOf, type FuzzOutcome, type FuzzRequest } from './api-fuzz';
import { type ApiScenario, closeApiScenario, openApiScenario } from './api-harness';

/** What one fuzz run aims at: connection ids, valid bodies by OpenAPI path, webhook receivers by partner. */
export interface FuzzAim {
  ids: string[];
  validBodies: Record<string, unknown[]>;
  webhookPartners: string[];
}

/** One fuzzing world: the real API, worker, Temporal and PostgreSQL, two connections to aim at. */
export class FuzzWorld {
  db!: TestDatabase;
  client!: Client;
  s!: ApiScenario;
  keys!: Record<FuzzRequest['auth'], string | undefined>;

  /** A world of its own (the long run). */
  async open(label: string): Promise<void> {
    const { db, client, s } = await openApiScenario(label, { voucher: 2, requisition: 2 });
    await s.startWorker();
    await this.attach(db, client, s);
  }

  /** Aims at an open scenario (with a worker running): adds the two connections and a customer key. */
  async attach(db: TestDatabase, client: Client, s: ApiScenario): Promise<void> {
    Object.assign(this, { db, client, s });
    for (const id of ['fuzz-main', 'fuzz-other']) {
      const res = await this.s.call('POST', '/v1/connections', { body: this.s.connectionBody(id) });
      if (res.status !== 201) throw new Error(`could not create ${id}: ${res.status}`);
    }
    const customer = (await createApiKey(this.db.pool, { kind: 'customer', customerId: 'acme' })).key;
    this.keys = { admin: this.s.adminKey, customer, none: undefined, garbage: 'mlc_00000000_' + 'A'.repeat(43) };
  }

  /** Runs `numRuns` generated requests at the two Asana connections attach() made (the short run in `npm test`). */
  async run(numRuns: number, seed?: number): Promise<FuzzOutcome & { requests: number }> {
    const main = this.s.connectionBody('fuzz-new');
    const { config } = main as { config: unknown };
    return this.runAt(numRuns, {
      ids: ['fuzz-main', 'fuzz-other'],
      webhookPartners: ['asana'],
      validBodies: {
        '/v1/connections': [main],
        '/v1/connections/{id}': [{ config }, { credentials: { asana: { token: this.s.asanaToken } } }],
        '/v1/connections/{id}/dead-letters/replay': [{}, { flow: 'ps-vouchers-to-asana-tasks', recordKeys: ['voucher:US001/1'] }],
        '/webhooks/asana/{connectionId}': [{ events: [] }],
      },
    }, seed);
  }

  /**
   * Runs `numRuns` generated requests aimed at `aim`: the ids path parameters draw from (plus unknown ones), valid
   * bodies by route for the generator to start from and mutate, and the partners whose webhook receivers to include.
   * A failing request is shrunk by fast-check and reported with its answer.
   */
  async runAt(numRuns: number, aim: FuzzAim, seed?: number): Promise<FuzzOutcome & { requests: number }> {
    const doc = (await this.s.call('GET', '/openapi.json', { key: null })).body;
    const arb = requestArb(targetsOf(doc, aim.webhookPartners), {
      ids: [...aim.ids, 'no-such-id', '1', '42'],
      validBodies: {
        '/codec/decode': [{ payloads: [] }, {}],
        '/codec/encode': [{ payloads: [{ metadata: { encoding: 'anNvbi9wbGFpbg==' }, data: 'e30=' }] }],
        ...aim.validBodies,
      },
    });
    const outcome: FuzzOutcome = { histogram: {}, failures: [] };
    let requests = 0;
    const failure = await fc
      .assert(
        fc.asyncProperty(arb, async (req) => {
          requests += 1;
          return checkOne(this.s.api.baseUrl, req, this.keys, outcome);
        }),
        { numRuns, seed, endOnFailure: true },
      )
      .then(() => undefined, (err: unknown) => err);
    if (failure) outcome.failures.unshift(failure instanceof Error ? failure.message.slice(0, 2000) : String(failure));
    return { ...outcome, requests };
  }

  /** Stops every connection's workflow and the world (only for a world opened with `open`). */
  async close(): Promise<void> {
    const ids = this.db ? (await this.db.pool.query<{ id: string }>('SELECT id FROM connections')).rows.map((r) => syncWorkflowId(r.id)) : [];
    await closeApiScenario({ db: this.db, client: this.client, s: this.s }, ids);
  }
}

export function histogramLine(label: string, r: { requests: number; histogram: Record<string, number> }): string {
  const statuses = Object.entries(r.histogram).sort(([a], [b]) => Number(a) - Number(b)).map(([status, n]) => `${status}: ${n}`).join(', ');
  return `[measure] ${label}: ${r.requests} fuzzed requests, statuses { ${statuses} }\n`;
}
