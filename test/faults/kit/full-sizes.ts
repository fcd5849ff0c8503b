import { type SuiteSizes } from './pair-suite';

/**
 * The fault suite's full sizes (`npm run test:faults`). Each scenario file (test/faults/r*.faults.ts) takes its own;
 * the files run at once (jest workers, jest.faults.config.js), so the suite takes about as long as R1, the longest.
 * MLC_FAULT_SEED repeats a run's kill points and storms.
 */
const seed = Number(process.env.MLC_FAULT_SEED ?? 15);

export const FULL_SIZES: SuiteSizes = {
  // 30 ms a partner answer (not the short run's 100+): 5,000 records keep creates in flight at every kill point anyway.
  r1: { records: 5_000, kills: 20, latencyMs: 30, settleMs: 900_000, seed },
  // 2 s per PeopleSoft call (few, large reads); Asana, written once per record, 300 ms. R4, R5 and R10 at 1,000 records
  // (2,000 before the files ran at once): the CPU they leave is what R1 recovers its kills with.
  // 300 decisions on a 750-record world (about half its approval documents are pending), 5 kills among their writes.
  r1r: { records: 750, decisions: 300, batches: 6, kills: 5, latencyMs: 100, settleMs: 600_000, seed },
  r4: { records: 1_000, latencyMs: { peoplesoft: 2_000, asana: 300, jira: 300, procurify: 300, jaggaer: 300, procore: 300 }, burst429: { peoplesoft: 3, asana: 50, jira: 50, procurify: 50, jaggaer: 50, procore: 50 }, stormMs: 180_000, settleMs: 900_000, seed },
  r5: { records: 1_000, share: 0.02, settleMs: 600_000, seed },
  r8: { records: 1_000, share: 0.02, settleMs: 600_000, seed },
  r10: { records: 1_000, settleMs: 600_000, seed },
  // +5 min ahead: edits the source stamps 5 min in our future are read once our clock gets there, so R11 waits them out.
  r11: { records: 1_000, aheadMs: 300_000, behindMs: 300_000, perStep: 20, readLatencyMs: 1_000, settleMs: 600_000, seed },
  r3: { records: 1_000, kills: 2, downMs: 25_000, latencyMs: 100, settleMs: 600_000, seed },
  r2: { records: 1_000, kills: 3, downMs: 5_000, latencyMs: 100, settleMs: 600_000, seed },
  r12: { records: 1_000, outageMs: 135_000, simulatedMs: 7_200_000, latencyMs: 100, settleMs: 600_000, seed },
};
