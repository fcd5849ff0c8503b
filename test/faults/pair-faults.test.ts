import { describePairFaults } from './kit/pair-suite';

/**
 * The short version of the fault suite, in `npm test`: R1 on every pair with a fault fixture, the others (R1r, kills on
 * the return path, included: about a minute on one pair, two with all three at once) each on one pair that rotates daily (kit/pair-suite.ts `rotation`), at sizes that keep it near six minutes with five pairs
 * (`npm run test:faults` runs every scenario on every pair at full size, pair-faults.faults.ts).
 */
describePairFaults(
  'fault scenarios, short (npm test)',
  {
    r1: { records: 60, kills: 1, settleMs: 180_000, seed: 15, latencyMs: 250 },
    r4: { records: 60, latencyMs: { peoplesoft: 100, asana: 20, jira: 20, procurify: 20, jaggaer: 20, procore: 20 }, burst429: { peoplesoft: 2, asana: 5, jira: 5, procurify: 2, jaggaer: 5, procore: 5 }, stormMs: 15_000, settleMs: 180_000, seed: 15 },
    r5: { records: 100, share: 0.02, settleMs: 180_000, seed: 15 },
    r8: { records: 60, share: 0.05, settleMs: 180_000, seed: 15 },
    r10: { records: 300, settleMs: 180_000, seed: 15 },
    r11: { records: 60, aheadMs: 20_000, behindMs: 300_000, perStep: 2, readLatencyMs: 500, settleMs: 180_000, seed: 15 },
    r3: { records: 100, kills: 1, downMs: 5_000, latencyMs: 300, settleMs: 180_000, seed: 15 },
    r2: { records: 60, kills: 1, downMs: 2_000, latencyMs: 250, settleMs: 180_000, seed: 15 },
    r1r: { records: 60, decisions: 20, batches: 2, kills: 1, latencyMs: 250, settleMs: 180_000, seed: 15 },
    r12: { records: 40, outageMs: 15_000, simulatedMs: 7_200_000, latencyMs: 200, settleMs: 180_000, seed: 15 },
  },
  { requireEveryPair: false, rotate: true },
);
