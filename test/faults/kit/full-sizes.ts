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
  // The other scenarios' sizes are not the issue's: they are what the run can afford beside R1 on two cores. The files
  // run at once and the machine is CPU-bound for most of the run, so the suite takes about as long as its total work:
  // on 3bc2d15 with R1r at 750 records, R5/R8/R10, R11, R3 and R12 at 1,000, full runs took 1,475-1,600 s. R2 and R4
  // keep 1,000: R2's three Temporal kills must land while an in-flight activity writes on through each outage, and R4's
  // 429 share is judged over its requests.
  // 160 decisions on a 400-record world (about half its approval documents are pending), 5 kills among their writes.
  r1r: { records: 400, decisions: 160, batches: 5, kills: 5, latencyMs: 100, settleMs: 600_000, seed },
  r4: { records: 1_000, latencyMs: { peoplesoft: 2_000, asana: 300, jira: 300, procurify: 300, jaggaer: 300, procore: 300 }, burst429: { peoplesoft: 3, asana: 50, jira: 50, procurify: 50, jaggaer: 50, procore: 50 }, stormMs: 180_000, settleMs: 900_000, seed },
  r5: { records: 500, share: 0.02, settleMs: 600_000, seed },
  r8: { records: 500, share: 0.02, settleMs: 600_000, seed },
  r10: { records: 500, settleMs: 600_000, seed },
  // +5 min ahead: edits the source stamps 5 min in our future are read once our clock gets there, so R11 waits them out.
  r11: { records: 500, aheadMs: 300_000, behindMs: 300_000, perStep: 20, readLatencyMs: 1_000, settleMs: 600_000, seed },
  r3: { records: 500, kills: 2, downMs: 25_000, latencyMs: 100, settleMs: 600_000, seed },
  r2: { records: 1_000, kills: 3, downMs: 5_000, latencyMs: 100, settleMs: 600_000, seed },
  r12: { records: 500, outageMs: 135_000, simulatedMs: 7_200_000, latencyMs: 100, settleMs: 600_000, seed },
};
