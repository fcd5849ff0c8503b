import { type Client } from '@temporalio/client';
import { pairs } from '../../../pairs';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { testMasterKey } from '../../support/env';
import { testClient } from '../../support/temporal';
import { discoverFixtures } from './discover-fixtures';
import { type FixtureDeps, type PairFaultFixture } from './fault-fixture';
import { canaryCredentials } from './canary-scenario';
import { clockSkew, type SkewSize } from './clock-skew';
import { faultConcurrency, PairBatch } from './pair-batch';
import { formatTable, recordResult, type ScenarioResult } from './result-table';
import { tokenExpiry } from './token-expiry';
import { postgresOutage, type OutageSize } from './postgres-outage';
import { temporalKills, type TemporalKillSize } from './temporal-kills';
import { longOutage, type OutageSize as LongOutageSize } from './long-outage';
import { returnPathKills, type ReturnKillSize } from './return-path-kills';
import { partnerStorms, permanentRefusals, workerKills, type KillSize, type PermanentSize, type ScenarioSize, type StormSize } from './scenarios';

export interface SuiteSizes {
  r1: KillSize;
  r4: StormSize;
  r5: PermanentSize;
  r8: PermanentSize;
  r10: ScenarioSize;
  r11: SkewSize;
  r3: OutageSize;
  r2: TemporalKillSize;
  r12: LongOutageSize;
  /** R1 on the return path (return-path-kills.ts): pairs whose fixture declares `returnPath`. */
  r1r: ReturnKillSize;
}

type Scenario = { id: string; title: string; run: (f: PairFaultFixture, deps: FixtureDeps) => Promise<ScenarioResult>; timeoutMs: number; appliesTo?: (f: PairFaultFixture) => boolean };

/**
 * Every scenario over every pair listed in pairs/index.ts whose folder holds a fault fixture. `requireEveryPair`
 * (the full suite) turns a listed pair without one into a failing test naming it; the short version in `npm test`
 * runs what exists and names the rest in its output.
 */
export function describePairFaults(label: string, sizes: Partial<SuiteSizes>, opts: { requireEveryPair: boolean; rotate?: boolean }): void {
  const discovery = discoverFixtures(pairs.map((p) => p.id));
  // A file runs the scenarios it gives sizes for (the full suite spreads them over several files, run at once).
  const { r1, r2, r3, r4, r5, r8, r10, r11, r12, r1r } = sizes;
  const all: Array<Scenario | undefined | false> = [
    r4 && { id: 'R4', title: `R4: ${r4.stormMs / 1000} s partner storm during a ${r4.records}-record first sync`, run: (f, d) => partnerStorms(f, d, r4), timeoutMs: 4 * r4.stormMs + r4.settleMs + 120_000 },
    r5 && { id: 'R5', title: `R5: ${r5.share * 100}% permanent 4xx of ${r5.records} records, fixed and replayed`, run: (f, d) => permanentRefusals(f, d, r5), timeoutMs: 2 * r5.settleMs + 120_000 },
    r8 && { id: 'R8', title: `R8: canary credentials through a ${r8.records}-record sync`, run: (f, d) => canaryCredentials(f, d, r8), timeoutMs: r8.settleMs + 120_000 },
    r10 && { id: 'R10', title: `R10: every OAuth token expires mid-way through a ${r10.records}-record first sync, two workers`, run: (f, d) => tokenExpiry(f, d, r10), timeoutMs: 2 * r10.settleMs + 120_000, appliesTo: (f) => (f.oauthPartners ?? []).length > 0 },
    r11 && { id: 'R11', title: `R11: source clock -${r11.behindMs / 1000} s / +${r11.aheadMs / 1000} s and stepping mid-sync, edits at window edges, ${r11.records} records`, run: (f, d) => clockSkew(f, d, r11), timeoutMs: 3 * r11.settleMs + r11.aheadMs + 120_000 },
    r3 && { id: 'R3', title: `R3: PostgreSQL SIGKILLed ${r3.kills} time(s), ${r3.downMs / 1000} s down, during a ${r3.records}-record first sync`, run: (f, d) => postgresOutage(f, d, r3), timeoutMs: r3.kills * (r3.downMs + 120_000) + 2 * r3.settleMs + 120_000 },
    r2 && { id: 'R2', title: `R2: ${r2.kills} Temporal SIGKILLs (restarted on its SQLite file) during a ${r2.records}-record first sync`, run: (f, d) => temporalKills(f, d, r2), timeoutMs: r2.settleMs * (r2.kills + 2) },
    r12 && { id: 'R12', title: `R12: the target partner down ${r12.outageMs / 1000} s (${r12.simulatedMs / 3_600_000} h on its clock) during a ${r12.records}-record first sync`, run: (f, d) => longOutage(f, d, r12), timeoutMs: r12.outageMs + 2 * r12.settleMs + 60_000 },
    r1r && { id: 'R1r', title: `R1r: ${r1r.kills} worker SIGKILLs during ${r1r.decisions} webhook-driven return-path writes`, run: (f, d) => returnPathKills(f, d, r1r), timeoutMs: r1r.settleMs * (r1r.kills + 4), appliesTo: (f) => f.returnPath === true },
    r1 && { id: 'R1', title: `R1: ${r1.kills} worker SIGKILLs during a ${r1.records}-record first sync`, run: (f, d) => workerKills(f, d, r1), timeoutMs: r1.settleMs * (r1.kills + 2) },
  ];
  const scenarios = all.filter((s): s is Scenario => !!s);

  // MLC_FAULT_PAIRS / MLC_FAULT_SCENARIOS (comma-separated ids) narrow a run while working on one pair or scenario.
  const only = (name: string) => process.env[name]?.split(',').map((s) => s.trim()).filter(Boolean);
  const pairFilter = only('MLC_FAULT_PAIRS');
  const scenarioFilter = only('MLC_FAULT_SCENARIOS');
  const fixtures = discovery.found.filter((f) => !pairFilter || pairFilter.includes(f.pairId));
  const chosen = scenarios.filter((s) => !scenarioFilter || scenarioFilter.includes(s.id));
  const eligible = chosen.map((s): [string, string[]] => [s.id, fixtures.filter((f) => !s.appliesTo || s.appliesTo(f)).map((f) => f.pairId)]);
  const runs = rotation(eligible, opts.rotate === true && process.env.MLC_FAULT_SHORT_ALL !== '1');

  if (runs.size < eligible.reduce((n, [, p]) => n + p.length, 0)) process.stdout.write(`[faults] ${label}: R1 on every pair; today's rotation: ${[...runs].filter((r) => !r.endsWith(' R1')).join(', ')} (MLC_FAULT_SHORT_ALL=1 runs every scenario on every pair)\n`);

  describe(label, () => {
    let db: TestDatabase;
    let client: Client;
    const results: ScenarioResult[] = [];
    beforeAll(async () => {
      db = await createTestDatabase('faults');
      client = await testClient();
    });
    afterAll(async () => {
      if (discovery.missing.length > 0) process.stdout.write(`[faults] pairs without a fault fixture: ${discovery.missing.map((m) => m.pairId).join(', ')}\n`);
      if (results.length > 0) process.stdout.write(`\n[faults] ${label}\n${formatTable(results)}\n`);
      await client?.connection.close();
      await db?.drop();
    });

    if (opts.requireEveryPair) {
      for (const m of discovery.missing) {
        it(`${m.pairId} has a fault fixture`, () => {
          throw new Error(m.problem);
        });
      }
    }
    // A scenario at a time; its pairs at once (pair-batch.ts, MLC_FAULT_CONCURRENCY), one jest test per pair.
    const concurrency = faultConcurrency();
    for (const s of chosen) {
      const batch = new PairBatch<ScenarioResult>(concurrency);
      const mine = fixtures.filter((f) => runs.has(`${f.pairId} ${s.id}`));
      for (const fixture of mine) {
        // A scenario that throws (a wait timed out) still gets its row in the table, as a failure.
        batch.add(fixture.pairId, () =>
          s.run(fixture, { pool: db.pool, client, masterKey: testMasterKey() }).catch(
            (err: unknown): ScenarioResult => ({ scenario: s.id, pair: fixture.pairId, runs: 0, recordsChecked: 0, duplicates: 0, missing: 0, partner5xx: 0, pass: false, notes: [], failures: [err instanceof Error ? err.message : String(err)] }),
          ),
        );
      }
      for (const fixture of mine) {
        it(`${fixture.pairId} ${s.title}: exact final state`, async () => {
          const result = await batch.result(fixture.pairId);
          results.push(result);
          recordResult(result);
          expect(result.failures).toEqual([]);
          expect(result.recordsChecked).toBeGreaterThan(0);
        }, s.timeoutMs * batch.rounds);
      }
    }
  });
}

/**
 * Which pair runs which scenario. Without rotation, every one on every pair. With it (the short suite in `npm test`,
 * which must stay near six minutes with five pairs, R1 alone costing about a minute per pair since a killed worker's
 * activity is only retried after its heartbeat timeout): R1 on every pair, each other scenario (R1r, R1 on the return path, too) on one of the pairs it applies to, which moves
 * on every day (UTC), so within a few days every pair has run every scenario and one run stays reproducible all day.
 */
export function rotation(eligible: Array<[scenario: string, pairIds: string[]]>, rotate: boolean, day = Math.floor(Date.now() / 86_400_000)): Set<string> {
  const out = new Set<string>();
  eligible.forEach(([scenario, pairIds], i) => {
    pairIds.forEach((pair, p) => {
      if (!rotate || scenario === 'R1' || (day + i) % pairIds.length === p) out.add(`${pair} ${scenario}`);
    });
  });
  return out;
}
