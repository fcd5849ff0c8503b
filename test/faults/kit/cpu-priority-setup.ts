import { setPriority } from 'node:os';
import { priorityFor } from './cpu-priority';

/** jest.faults.config.js setupFilesAfterEnv: sets this fault file's CPU priority (see cpu-priority.ts). */
const testPath = expect.getState().testPath;
if (testPath) {
  try {
    setPriority(priorityFor(testPath));
  } catch {
    // EACCES: an unprivileged process cannot raise its priority back; the run is only slower, not wrong.
  }
}
