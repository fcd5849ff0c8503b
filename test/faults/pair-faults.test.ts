import { describePairFaults } from './kit/pair-suite';

/**
 * The short version of the fault suite, in `npm test`: every scenario on every pair with a fault fixture, at sizes
 * that keep it to about a minute (`npm run test:faults` runs the full sizes, pair-faults.faults.ts).
 */
describePairFaults(
  'fault scenarios, short (npm test)',
  {
    r1: { records: 100, kills: 1, settleMs: 180_000, seed: 15 },
    r4: { records: 60, latencyMs: { peoplesoft: 100, asana: 20, jira: 20 }, burst429: { peoplesoft: 2, asana: 5, jira: 5 }, stormMs: 10_000, settleMs: 180_000, seed: 15 },
    r5: { records: 100, share: 0.02, settleMs: 180_000, seed: 15 },
    r8: { records: 60, share: 0.05, settleMs: 180_000, seed: 15 },
  },
  { requireEveryPair: false },
);
