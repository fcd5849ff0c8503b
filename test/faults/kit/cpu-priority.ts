import path from 'node:path';

/**
 * The full suite's files run at once (jest.faults.config.js). R1 is the longest (5,000 records, 20 kills) and mostly
 * waits: the partner's rate limit, then after each kill the heartbeat timeout and the fence's wait; what it needs is
 * CPU the moment a killed worker restarts and resumes. Run at the same priority, the other files' syncs took the
 * machine and R1's restarts queued behind them (Asana's sync went from about 5 records/s alone to 0.5). So the
 * other files run niced (10; their simulators, workers and servers inherit it) and use what R1 leaves, except the
 * outages file: R3 bounds how soon the API answers (10 s each, and again within 60 s of PostgreSQL's restart), bounds
 * about the API and the engine, which a niced API, database and Temporal server would blur. Those two run at normal
 * priority. A priority the process may not set (not root, lowering it) is left as it is.
 */
export const NORMAL_PRIORITY_FILES = ['r1-worker-kills.faults.ts', 'r2-r3-r12-outages.faults.ts'];

export function priorityFor(testPath: string): number {
  return NORMAL_PRIORITY_FILES.includes(path.basename(testPath)) ? 0 : 10;
}
