import { randomUUID } from 'node:crypto';
import { CredentialCipher } from '../../../db/credential-cipher';
import { pairs } from '../../../pairs';
import { type PairDefinition } from '../../../pairs/types';
import { type RunningSimulator } from '../../../simulators/kit/types';
import { FuzzWorld, histogramLine, type FuzzAim } from '../../api/api-fuzz-world';
import { startDemoSimulators } from '../../support/demo-simulators';
import { type ScenarioResult } from './result-table';
import { scenarioTest } from './scenario-test';

/**
 * R7 on one pair: two connections of the pair, made from its demo over its own simulators and created through the
 * API (so their config and credentials are the pair's real schema), then `requests` generated hostile requests at
 * every route of /openapi.json and at each of the pair's webhook receivers, path ids drawn from those two
 * connections and unknown ones, bodies grown from the pair's valid ones. 0 5xx; every 4xx with the error shape.
 */
async function fuzzPair(world: FuzzWorld, pair: PairDefinition, requests: number): Promise<ScenarioResult> {
  const began = Date.now();
  const sims: RunningSimulator[] = [];
  try {
    const simulators = await startDemoSimulators(pair.demo.simulators, sims);
    const tag = randomUUID().slice(0, 6);
    const ids = [`fuzz-${pair.id}-${tag}`, `fuzz-${pair.id}-${tag}-other`];
    let body: Record<string, unknown> = {};
    for (const id of ids) {
      const demo = await pair.demo.connect({ simulators, apiUrl: world.s.api.baseUrl });
      body = { pair: pair.id, id, customerId: 'acme', config: demo.config, credentials: demo.credentials };
      const res = await world.s.call('POST', '/v1/connections', { body });
      if (res.status !== 201) throw new Error(`${pair.id}: could not create ${id}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
    }
    const cipher = new CredentialCipher(world.s.masterKey);
    const webhookBodies: Record<string, unknown[]> = {};
    for (const receiver of pair.webhooks ?? []) {
      const sample = await receiver.signedSample({ pool: world.db.pool, cipher }, ids[0]!);
      webhookBodies[`/webhooks/${receiver.partner}/{connectionId}`] = [JSON.parse(sample.body.toString('utf8')) as unknown];
    }
    const { config, credentials } = body as { config: unknown; credentials: unknown };
    const aim: FuzzAim = {
      ids,
      webhookPartners: (pair.webhooks ?? []).map((r) => r.partner),
      validBodies: {
        // A new connection of the pair (the generator varies its id, pair, config and credentials).
        '/v1/connections': [{ ...body, id: `fuzz-${pair.id}-${tag}-new` }],
        '/v1/connections/{id}': [{ config }, { credentials }],
        '/v1/connections/{id}/dead-letters/replay': [{}, { flow: pair.flows[0]!.name, recordKeys: ['fuzz:1'] }],
        ...webhookBodies,
      },
    };
    const outcome = await world.runAt(requests, aim);
    process.stdout.write(histogramLine(`api fuzz at ${pair.id} (test:faults)`, outcome));
    const serverErrors = Object.entries(outcome.histogram).filter(([status]) => Number(status) >= 500).reduce((n, [, count]) => n + count, 0);
    const statuses = Object.entries(outcome.histogram).map(([s, n]) => `${s}: ${n}`).join(', ');
    const failures = [...outcome.failures];
    if (outcome.requests !== requests) failures.push(`${outcome.requests} of ${requests} requests sent`);
    return {
      scenario: 'R7 API fuzz',
      pair: pair.id,
      runs: 1,
      recordsChecked: outcome.requests,
      duplicates: 0,
      missing: 0,
      partner5xx: serverErrors,
      pass: failures.length === 0,
      notes: [`${outcome.requests} requests at every route${aim.webhookPartners.length ? ` and the ${aim.webhookPartners.join(', ')} webhook receiver` : ''}, connections ${ids.join(', ')}: { ${statuses} }; ${((Date.now() - began) / 1000).toFixed(0)} s`],
      failures: failures.slice(0, 20),
    };
  } finally {
    for (const sim of sims) await sim.close();
  }
}

/**
 * R7, full: `total` generated requests shared out over the pairs listed in pairs/index.ts (a new pair is fuzzed by
 * being listed), each pair's aimed at its own connections, in one world: the API, the product worker, Temporal and
 * PostgreSQL. The 5xx column counts our API's.
 */
export function describeApiFuzzPerPair(label: string, total: number, timeoutMs: number): void {
  const perPair = Math.ceil(total / pairs.length);
  describe(label, () => {
    const world = new FuzzWorld();
    beforeAll(() => world.open('api-fuzz-pairs'), 180_000);
    afterAll(() => world.close());
    for (const pair of pairs) {
      scenarioTest(`${pair.id}: ${perPair} generated requests, 0 5xx, every 4xx with the error shape`, { scenario: 'R7 API fuzz', pair: pair.id }, () => fuzzPair(world, pair, perPair), timeoutMs);
    }
  });
}
