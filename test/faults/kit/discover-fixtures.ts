import { existsSync } from 'node:fs';
import path from 'node:path';
import { type PairFaultFixture } from './fault-fixture';

const PAIRS_DIR = path.resolve(__dirname, '..', '..', '..', 'pairs');

/** Where a pair's fixture lives: `pairs/<pair>/fault-fixture.ts`, exporting `faultFixture`. */
export const fixturePath = (pairId: string, pairsDir = PAIRS_DIR) => path.join(pairsDir, pairId, 'fault-fixture.ts');

export interface FixtureDiscovery {
  found: PairFaultFixture[];
  /** Listed pairs without a fixture, each with what to add. */
  missing: Array<{ pairId: string; problem: string }>;
}

/**
 * The fixture of every listed pair, by convention only: nothing registers a fixture, so a pair added to
 * pairs/index.ts is under the suite as soon as its folder holds the file, and fails the suite until it does.
 */
export function discoverFixtures(pairIds: readonly string[], pairsDir = PAIRS_DIR): FixtureDiscovery {
  const out: FixtureDiscovery = { found: [], missing: [] };
  for (const pairId of pairIds) {
    const file = fixturePath(pairId, pairsDir);
    if (!existsSync(file)) {
      out.missing.push({ pairId, problem: `pair ${pairId} has no fault fixture: add ${path.relative(path.resolve(pairsDir, '..'), file)} exporting faultFixture (see test/faults/kit/fault-fixture.ts)` });
      continue;
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(file) as { faultFixture?: PairFaultFixture };
    const fixture = mod.faultFixture;
    if (!fixture || typeof fixture.open !== 'function') out.missing.push({ pairId, problem: `${file} does not export faultFixture with open()` });
    else if (fixture.pairId !== pairId) out.missing.push({ pairId, problem: `${file} exports the fixture of ${fixture.pairId}, not ${pairId}` });
    else out.found.push(fixture);
  }
  return out;
}
