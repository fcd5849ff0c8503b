import { setPriority } from 'node:os';
import path from 'node:path';

/**
 * The full suite's files run at once (jest.faults.config.js). R1 is the longest (5,000 records, 20 kills) and mostly
 * waits: the partner's rate limit, then after each kill the heartbeat timeout and the fence's wait; what it needs is
 * CPU the moment a killed worker restarts and resumes. Run at the same priority, the other files' syncs took the
 * machine and R1's restarts queued behind them (Asana's sync went from about 5 records/s alone to 0.5). So every
 * other file runs niced (10; its simulators, workers and servers inherit it) and uses what R1 leaves; R1's file runs
 * at normal priority. A priority the process may not set (not root, lowering it) is left as it is.
 */
export const R1_FILE = 'r1-worker-kills.faults.ts';

export function priorityFor(testPath: string): number {
  return path.basename(testPath) === R1_FILE ? 0 : 10;
}

const testPath = expect.getState().testPath;
if (testPath) {
  try {
    setPriority(priorityFor(testPath));
  } catch {
    // EACCES: an unprivileged process cannot raise its priority back; the run is only slower, not wrong.
  }
}
